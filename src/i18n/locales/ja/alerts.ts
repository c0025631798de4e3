import type { Catalogue } from '../../catalogue.js';

export const alerts = {
  'manage-server': 'フォロワー通知を管理できるのは「サーバー管理」権限を持つメンバーだけです。',
} as const satisfies Catalogue['alerts'];
