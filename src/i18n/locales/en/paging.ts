export const paging = {} as const;
