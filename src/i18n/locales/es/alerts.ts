import type { Catalogue } from '../../catalogue.js';

export const alerts = {
  'manage-server':
    'Solo los miembros con el permiso Gestionar servidor pueden gestionar las alertas de seguidores.',
} as const satisfies Catalogue['alerts'];
