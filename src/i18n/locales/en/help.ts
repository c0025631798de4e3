/** /help: the command list's lines, what Flock keeps about the reader, and who runs this Flock. */
export const help = {
  heading: '## Flock',
  /** A command as the reader's Discord lists it, with a subcommand after its name. */
  command: '**/{{name}}**: {{description}}',
  keeps: {
    heading: '### What Flock keeps about you',
    link: 'Once you {{link}}: your X account (id and @name), and the tokens that let Flock act as it, encrypted. If you signed in for Linked Roles, your Discord sign-in too, encrypted, and the values your roles check.',
    'lists-days_one': 'The lists you open, so their buttons keep working (for {{count}} day).',
    'lists-days_other': 'The lists you open, so their buttons keep working (for {{count}} days).',
    'lists-hours_one': 'The lists you open, so their buttons keep working (for {{count}} hour).',
    'lists-hours_other': 'The lists you open, so their buttons keep working (for {{count}} hours).',
    alerts:
      'Servers keep their alert settings; X profiles Flock showed are kept until the end of the day (UTC).',
    'own-lists':
      'The pages of your blocked and muted accounts you open, encrypted and for you alone, until the end of the day (UTC).',
    insights:
      'What /insights and /export read for you, and your spend on them, until the end of the day (UTC); your own account’s lists, read with your link, encrypted and deleted when you unlink.',
  },
  unlink: '{{unlink}} revokes Flock’s access at X and deletes everything linked to you.',
  contact: 'Questions about this bot: {{contact}}',
} as const;
