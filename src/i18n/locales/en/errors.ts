/** What the router and the X error translation say when something cannot be done. */
export const errors = {
  'store-away': "Flock's store is not answering, try again shortly.",
  busy: 'Flock is still busy with this elsewhere; try again in a moment.',
  apology: 'Sorry, something went wrong on my side. It has been logged; please try again in a moment.',
  'unknown-command': 'That command is no longer part of this bot.',
  'old-button': 'This button belongs to an older version of the bot and no longer works.',
  'old-form': 'This form belongs to an older version of the bot and no longer works.',
  'server-only': 'This command works only in a server that added Flock.',
  'manage-server': 'Only members with the Manage Server permission can use this command.',
  'not-a-choice': '“{{option}}” must be one of the choices offered.',
  'not-an-account':
    "That doesn't look like an X account. Use `@name`, `name`, a profile link such as `https://x.com/name`, or a numeric account id.",
  x: {
    'this-account': 'this account',
    'that-account': 'that account',
    'account-by-id': 'the account with id {{id}}',
    'not-found': "I couldn't find {{who}} on X. Check the spelling, or try a profile link.",
    suspended: '{{who}} is suspended on X, so there is nothing to show.',
    protected: '{{who}} is protected: only approved followers can see its lists.',
    'rate-limited': 'X is limiting how often I can ask right now. Try again {{when}}.',
    'budget-exceeded': "This server's bot has used today's X budget. Lists come back {{when}}.",
    'not-enrolled':
      "This bot's X app can't do that: its X plan doesn't include this feature. The bot's operator can change the plan in the X developer portal.",
    unavailable: 'X is not answering, try again shortly.',
  },
} as const;
