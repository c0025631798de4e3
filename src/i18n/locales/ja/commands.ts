import type { Catalogue } from '../../catalogue.js';

export const commands = {
  followers: { name: 'フォロワー', description: 'X アカウントのフォロワーを新しい順に表示します' },
  following: {
    name: 'フォロー中',
    description: 'X アカウントがフォローしているアカウントを新しい順に表示します',
  },
  lookup: {
    name: 'プロフィール',
    description: 'X アカウントのプロフィールを、フォロワーとフォロー中を開くボタン付きで表示します',
  },
  link: {
    name: '連携',
    description: 'X アカウントを連携して、Discord からフォローやフォロー解除ができるようにします',
  },
  unlink: {
    name: '連携解除',
    description: 'X アカウントの連携を解除します。Flock はアクセス権を取り消し、保存したデータを削除します',
  },
  follow: { name: 'フォロー', description: '連携した X アカウントで、X アカウントをフォローします' },
  unfollow: {
    name: 'フォロー解除',
    description: '連携した X アカウントで、X アカウントのフォローを解除します',
  },
  help: { name: 'ヘルプ', description: 'Flock でできること、保存する情報とその削除方法を表示します' },
  options: {
    user: {
      name: 'アカウント',
      description: 'X アカウント: @ユーザー名、ユーザー名、プロフィールのリンク、または数字の ID',
    },
  },
} as const satisfies Catalogue['commands'];
