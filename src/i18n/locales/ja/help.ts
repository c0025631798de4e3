import type { Catalogue } from '../../catalogue.js';

export const help = {
  heading: '## Flock',
  command: '**/{{name}}**: {{description}}',
  keeps: {
    heading: '### Flock が保存する情報',
    link: '{{link}} を使うと、あなたの X アカウント（ID と @ユーザー名）と、Flock がそのアカウントとして操作するためのトークンを暗号化して保存します。リンクされたロールのためにサインインした場合は、Discord のサインイン情報（暗号化）と、ロールの条件に使う値も保存します。',
    'lists-days_other': 'あなたが開いたリストを、ボタンが使えるように {{count}} 日間保存します。',
    'lists-hours_other': 'あなたが開いたリストを、ボタンが使えるように {{count}} 時間保存します。',
    alerts:
      'サーバーの通知設定を保存します。Flock が表示した X のプロフィールは、その日の終わり (UTC) まで保存します。',
    'own-lists':
      'あなたが開いたブロック・ミュート中のアカウントのページを、暗号化してあなた専用に、その日の終わり (UTC) まで保存します。',
    insights:
      '/insights と /export があなたのために読み込んだ内容と、その利用額を、その日の終わり (UTC) まで保存します。連携を使って読んだあなた自身のアカウントのリストは暗号化され、連携を解除すると削除されます。',
  },
  unlink:
    '{{unlink}} を使うと、X での Flock のアクセス権を取り消し、あなたに紐づくデータをすべて削除します。',
  contact: 'このボットについてのお問い合わせ: {{contact}}',
} as const satisfies Catalogue['help'];
