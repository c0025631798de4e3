import type { Catalogue } from '../../catalogue.js';

export const web = {} as const satisfies Catalogue['web'];
