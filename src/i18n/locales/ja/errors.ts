import type { Catalogue } from '../../catalogue.js';

export const errors = {
  'store-away': 'Flock のストアが応答していません。少し待ってからもう一度お試しください。',
  busy: 'Flock は別の場所でこの処理を続けています。少し待ってからもう一度お試しください。',
  apology:
    '申し訳ありません、こちら側で問題が起きました。記録済みです。少し待ってからもう一度お試しください。',
  'unknown-command': 'そのコマンドはこのボットから削除されました。',
  'old-button': 'このボタンは以前のバージョンのボットのもので、もう使えません。',
  'old-form': 'このフォームは以前のバージョンのボットのもので、もう使えません。',
  'server-only': 'このコマンドは Flock を追加したサーバーでのみ使えます。',
  'manage-server': 'このコマンドは「サーバー管理」権限を持つメンバーだけが使えます。',
  'not-a-choice': '「{{option}}」は表示された選択肢から選んでください。',
  'not-an-account':
    'X のアカウントではないようです。`@name`、`name`、`https://x.com/name` のようなプロフィールのリンク、または数字のアカウント ID を使ってください。',
  x: {
    'this-account': 'このアカウント',
    'that-account': 'そのアカウント',
    'account-by-id': 'ID {{id}} のアカウント',
    'not-found':
      'X で {{who}} が見つかりませんでした。綴りを確認するか、プロフィールのリンクをお試しください。',
    suspended: '{{who}} は X で凍結されているため、表示できるものがありません。',
    protected: '{{who}} は非公開です。承認されたフォロワーだけがリストを見られます。',
    'rate-limited': 'X への問い合わせが現在制限されています。{{when}}にもう一度お試しください。',
    'budget-exceeded': 'このサーバーのボットは今日の X の予算を使い切りました。リストは{{when}}に戻ります。',
    'not-enrolled':
      'このボットの X アプリではそれができません。X のプランにこの機能が含まれていません。ボットの運営者が X の開発者ポータルでプランを変更できます。',
    unavailable: 'X が応答していません。少し待ってからもう一度お試しください。',
  },
} as const satisfies Catalogue['errors'];
