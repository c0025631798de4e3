export const alerts = {
  'manage-server': 'Only members with the Manage Server permission can manage follower alerts.',
} as const;
