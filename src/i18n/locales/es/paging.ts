import type { Catalogue } from '../../catalogue.js';

export const paging = {} as const satisfies Catalogue['paging'];
