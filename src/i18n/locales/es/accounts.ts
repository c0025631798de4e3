import type { Catalogue } from '../../catalogue.js';

export const accounts = {} as const satisfies Catalogue['accounts'];
