/**
 * The slash commands' names and descriptions as Discord lists them. English names are the ones the
 * definitions are written with (the router keys on them); the other languages' names must be valid
 * Discord names: lowercase, no spaces, at most 32 characters, unique among their neighbours.
 */
export const commands = {
  followers: { name: 'followers', description: "Browse an X account's followers, newest first" },
  following: { name: 'following', description: 'Browse the accounts an X account follows, newest first' },
  lookup: {
    name: 'lookup',
    description: "Show an X account's profile, with buttons to its followers and following",
  },
  link: { name: 'link', description: 'Connect your X account, to follow and unfollow from Discord' },
  unlink: {
    name: 'unlink',
    description: 'Disconnect your X account: Flock revokes its access and deletes what it stored for you',
  },
  follow: { name: 'follow', description: 'Follow an X account as your linked X account' },
  unfollow: { name: 'unfollow', description: 'Unfollow an X account as your linked X account' },
  help: { name: 'help', description: 'What Flock can do, what it keeps about you, and how to delete it' },
  /** The account option the list, lookup and follow commands share. */
  options: {
    user: { name: 'user', description: 'An X account: @name, name, a profile link, or a numeric id' },
  },
} as const;
