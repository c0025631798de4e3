import type { Catalogue } from '../../catalogue.js';

export const web = {
  again: 'Discord で `/link` を実行して、新しいリンクを取得してください。',
  'close-tab': 'このタブを閉じて Discord に戻ってかまいません。',
  linked: { title: '{{who}} として連携しました', body: 'X アカウント {{who}} が Flock と連携されました。' },
  verified: {
    title: 'リンクされたロールを更新しました',
    body: 'Flock のリンクされたロールを使うサーバーで、あなたの X アカウント {{who}} が参照されるようになりました。',
  },
  denied: {
    title: '連携をキャンセルしました',
    body: 'Flock が承認されなかったため、何も連携されていません。',
    again: 'もう一度試すには、Discord で `/link` を実行してください。',
  },
  missing: {
    title: 'このリンクは不完全です',
    body: 'X から返されるはずの情報の一部がアドレスにありません。',
  },
  unknown: {
    title: 'このリンクは使えません',
    body: 'すでに使用されたか、Flock が作成したリンクではありません。',
  },
  expired: { title: 'このリンクは期限切れです', body: '`/link` のリンクの有効期間は 10 分間です。' },
  refused: {
    title: 'X がログインを受け付けませんでした',
    body: '承認に時間がかかりすぎたか、すでに使用されていたため、何も連携されていません。',
  },
  unavailable: {
    title: 'X が応答していません',
    body: '何も連携されていません。少し待ってからもう一度お試しください。',
  },
  'discord-refused': {
    title: 'Discord がログインを受け付けませんでした',
    body: '承認に時間がかかりすぎたか、すでに使用されていたため、何も連携されていません。',
  },
  'discord-unavailable': {
    title: 'Discord が応答していません',
    body: '何も連携されていません。少し待ってからもう一度お試しください。',
  },
  'x-taken': {
    title: 'この X アカウントは別の人と連携しています',
    body: 'この X アカウントはすでに別の Discord アカウントと連携しているため、何も変わっていません。',
    next: '先にそちらで `/unlink` を使って連携を解除してから、もう一度 `/link` を実行してください。',
  },
  'other-browser': {
    title: 'このリンクは別のブラウザで開かれました',
    body: '連携は開始したブラウザでしか続けられないため、何も連携されていません。',
  },
  'wrong-user': {
    title: 'このリンクは別の人のものです',
    body: '`/link` を実行した人とは別のアカウントで Discord にログインしています。何も連携されておらず、このリンクはもう使えません。',
    next: '自分の X アカウントを連携するには、Discord でご自身で `/link` を実行してください。',
  },
  'not-configured': {
    title: '連携が設定されていません',
    body: 'このボットの運営者が Discord ログインの設定（DISCORD_CLIENT_SECRET と https でのページ提供）を完了していないため、まだ X アカウントを連携できません。',
  },
  'store-away': {
    title: 'Flock のストアが応答していません',
    body: '何も変わっていません。少し待ってからもう一度お試しください。',
  },
  'not-found': { title: 'ページが見つかりません', body: 'このアドレスは Flock のものではありません。' },
  'bad-request': { title: '不正なリクエスト', body: 'Flock はそのリクエストを読み取れませんでした。' },
} as const satisfies Catalogue['web'];
