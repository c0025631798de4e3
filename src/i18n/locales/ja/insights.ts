import type { Catalogue } from '../../catalogue.js';

/** /insights と /export：定義、見積もり、進行状況、結果、CSV ファイル。 */
export const insights = {
  definition: {
    names: {
      insights: '分析',
      relationships: '関係',
      overlap: '共通フォロワー',
      export: 'エクスポート',
      list: 'リスト',
      account: 'アカウント',
      other: '比較相手',
      kind: '種類',
    },
    insights: 'フォロワーリストを比較：相互フォロー、フォローを返していない相手、共通のフォロワー',
    relationships: 'X アカウントの相互フォロー、未フォローバック、ファン',
    overlap: '2 つの X アカウントに共通するフォロワー',
    export: 'X のリストを CSV ファイルで書き出し（読む前に料金を表示）',
    list: 'X のリストを CSV で（料金を先に表示）',
    account: 'X アカウント：@名前、名前、プロフィールのリンク、または数字の ID',
    other: '比べる相手の X アカウント',
    kind: 'どのリストか',
    choices: {
      followers: 'フォロワー',
      following: 'フォロー中',
      mutuals: '相互フォロー',
      'not-following-back': 'フォローを返していない',
      fans: 'ファン',
    },
  },
  lists: {
    followers: 'フォロワー',
    following: 'フォロー中',
    mutuals: '相互フォロー',
    'not-following-back': 'フォローを返していない',
    fans: 'ファン',
    shared: '共通のフォロワー',
  },
  of: {
    followers: '{{handle}} のフォロワー',
    following: '{{handle}} がフォローしているアカウント',
    mutuals: '{{handle}} の相互フォロー',
    'not-following-back': '{{handle}} がフォローを返していないフォロワー',
    fans: '{{handle}} がフォローしているが、フォローを返さないアカウント',
  },
  estimate: {
    'title-relationships': '{{name}} の関係',
    'title-overlap': '{{name}} と {{other}} のフォロワー',
    'title-export': 'CSV：{{what}}',
    'read-new': '{{what}}：読むユーザー {{users}} 人',
    'read-partial': '{{what}}：残り {{users}} 人（全 {{total}} 人）',
    'read-cached': '{{what}}：今日すでに読んだので無料',
    cost: '料金：最大 {{cost}}（1 ユーザー {{price}}）。X は同じユーザーを UTC の 1 日に 1 回だけ課金するため、2 つのリストにいるユーザーも 1 回分です。',
    allowance: '今日の残り利用枠：{{left}}（1 日 {{allowance}}）。',
    'confirm-note':
      '確認するまで何も読みません。結果は UTC の 1 日の終わりまで保存され、もう一度頼んでも料金はかかりません。',
  },
  buttons: {
    confirm: '確認',
    cancel: 'キャンセル',
    stop: '読み込みを止める',
  },
  refusals: {
    confirmed: 'これはすでに確認済みです。進み具合はこのメッセージに表示されます。',
    allowance:
      'これには最大 {{cost}} かかり、1 日の利用枠 {{allowance}} の残り {{left}} を超えます。利用枠は {{when}} に戻ります。',
    budget:
      'これには最大 {{cost}} かかり、このボットの今日の X 予算の残りを超えます。予算は {{when}} に戻ります。',
    protected:
      '{{handle}} は非公開アカウントです。Flock がリストを読めるのは、あなた自身の連携アカウントの場合だけです。',
    'same-account': '比べるには別々のアカウントを 2 つ選んでください。',
    'own-running': 'すでに読み込み中のものがあります。止めるか、終わるのを待ってから始めてください。',
    busy: 'Flock は今、読めるだけのリストを読んでいます。数分後にもう一度お試しください。',
    'not-owner': 'これらのボタンを使えるのは {{owner}} だけです。自分でコマンドを実行してください。',
    expired: 'この見積もりは期限切れです。もう一度コマンドを実行してください。',
    gone: 'この結果はもう保存されていません（結果は UTC の 1 日の終わりまで）。もう一度コマンドを実行してください。',
    cancelled: 'キャンセルしました。何も読んでいません。',
    'free-own-busy': '前回の比較またはエクスポートをまだ準備中です。届いてからもう一度お試しください。',
    'free-queue-full':
      'Flock は今、多くの比較とエクスポートを準備しています。1 分後にもう一度お試しください。',
    'free-daily':
      '今日の読み込みからの比較とエクスポートは {{limit}} 回で、1 日の上限に達しました。{{when}} からまた使えます。',
  },
  progress: {
    title: '{{what}} のために読み込み中',
    line: '約 {{total}} 人中 {{read}} 人 · {{spent}} 使用',
    'time-left': '今のペースで {{when}} に完了します。',
    waiting: 'X のレート制限に達しました。{{when}} に読み込みを再開します。',
    'other-read': '別の人がこのリストを読み込み中です。終わり次第あなたの分を続けます。',
    comparing: 'リストを比べています…',
    handover:
      'この読み込みには時間がかかるため、このメッセージなしで続けます。同じコマンドをいつでももう一度実行すると（追加料金なし）、進み具合や結果を見られます。',
  },
  outcome: {
    cached: '今日すでに読み込み済みなので料金はかかりません。結果は下にあります。',
    done: '完了：{{users}} 人を読み込み、{{spent}} 使用しました。結果は下にあります。',
    'done-later':
      '完了：{{users}} 人を読み込み、{{spent}} 使用しました。結果はもう一度コマンドを実行すると見られます（無料）。',
    'export-done': '完了：{{rows}} 行を下の {{files}} 個のファイルに書き出しました。{{spent}} 使用しました。',
    kept: '読み込んだ分は UTC の 1 日の終わりまで保存され、もう一度頼むとそこから続きます。',
    stopped: {
      cancelled: 'ご依頼により停止しました：{{users}} 人を読み込み、{{spent}} 使用。',
      allowance:
        '停止しました：1 日の利用枠 {{allowance}} を使い切りました（{{users}} 人を読み込み、{{spent}} 使用）。{{when}} に戻ります。',
      budget:
        '停止しました：このボットの今日の X 予算を使い切りました（{{users}} 人を読み込み、{{spent}} 使用）。{{when}} に戻ります。',
      'usage-capped':
        '停止しました：ボットの X プランで今読める分がありません（{{users}} 人を読み込み、{{spent}} 使用）。',
      'not-found':
        '停止しました：X でそのアカウントが見つからなくなりました（{{users}} 人を読み込み、{{spent}} 使用）。',
      suspended:
        '停止しました：そのアカウントは X で凍結されています（{{users}} 人を読み込み、{{spent}} 使用）。',
      protected: '停止しました：そのアカウントは X で非公開です（{{users}} 人を読み込み、{{spent}} 使用）。',
      unlinked:
        '停止しました：X との連携がなくなりました。もう一度 `/link` してください（{{users}} 人を読み込み、{{spent}} 使用）。',
      failed:
        '停止しました：こちらで問題が起き、記録しました（{{users}} 人を読み込み、{{spent}} 使用）。少し後でもう一度お試しください。',
      'x-unavailable':
        '停止しました：X が応答しません（{{users}} 人を読み込み、{{spent}} 使用）。少し後でもう一度お試しください。',
    },
  },
  result: {
    'title-relationships': '{{name}} の関係',
    'title-overlap': '{{name}} と {{other}} の共通フォロワー',
    counts: '相互フォロー {{mutuals}} · フォローを返していない {{notBack}} · ファン {{fans}}',
    'overlap-counts': '共通のフォロワー {{shared}} 人',
    'exclusive-share': '{{handle}}：自分だけのフォロワー {{only}} 人（全 {{total}} 人の {{share}}）',
    explain: {
      mutuals: '{{handle}} とお互いにフォローしています。',
      'not-following-back': '{{handle}} をフォローしていますが、{{handle}} はフォローしていません。',
      fans: '{{handle}} がフォローしていますが、フォローを返していません。',
      shared: '両方のアカウントをフォローしています。',
    },
    view: '{{list}}（{{total}}）',
    'page-of': '{{page}} / {{pages}} ページ',
    empty: 'このリストには誰もいません。',
    'read-on': '{{when}} に読み込み。',
  },
  csv: {
    file: '{{what}}：{{rows}} 行。',
    part: '{{what}}（{{parts}} 個中 {{part}} 個目）：{{rows}} 行。',
  },
} as const satisfies Catalogue['insights'];
