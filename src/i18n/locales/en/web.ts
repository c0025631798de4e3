/**
 * Flock's web pages (the link flow's endings, the Linked Roles entry, errors). Plain text: the page
 * escapes it as HTML and shows `code` spans as code. `{{who}}` is `@username`.
 */
export const web = {
  again: 'Run `/link` in Discord to get a fresh link.',
  'close-tab': 'You can close this tab and return to Discord.',
  linked: { title: 'Linked as {{who}}', body: 'Your X account {{who}} is now linked to Flock.' },
  verified: {
    title: 'Linked Roles updated',
    body: "Servers that use Flock's Linked Roles now see your X account {{who}}.",
  },
  denied: {
    title: 'Linking cancelled',
    body: "You didn't approve Flock, so nothing was linked.",
    again: 'To try again, run `/link` in Discord.',
  },
  missing: { title: 'This link is incomplete', body: 'The address is missing part of what X sends back.' },
  unknown: { title: "This link can't be used", body: "It was already used, or it isn't one Flock made." },
  expired: { title: 'This link has expired', body: 'Links from `/link` work for 10 minutes.' },
  refused: {
    title: "X didn't accept the sign-in",
    body: 'The approval took too long or was already used, so nothing was linked.',
  },
  unavailable: { title: 'X is not answering', body: 'Nothing was linked. Try again shortly:' },
  'discord-refused': {
    title: "Discord didn't accept the sign-in",
    body: 'The approval took too long or was already used, so nothing was linked.',
  },
  'discord-unavailable': {
    title: 'Discord is not answering',
    body: 'Nothing was linked. Try again shortly:',
  },
  'x-taken': {
    title: 'This X account is linked to someone else',
    body: 'Another Discord account has already linked this X account, so nothing changed.',
    next: 'Unlink it there first with `/unlink`, then run `/link` again.',
  },
  'other-browser': {
    title: 'This link was opened in another browser',
    body: 'Linking continues only in the browser where it started, so nothing was linked.',
  },
  'wrong-user': {
    title: 'This link belongs to someone else',
    body: 'You are signed in to Discord as someone other than the person who ran `/link`. Nothing was linked, and this link no longer works.',
    next: 'To link your own X account, run `/link` yourself in Discord.',
  },
  'not-configured': {
    title: 'Linking is not set up',
    body: "This bot's operator has not finished setting up Sign in with Discord (DISCORD_CLIENT_SECRET, and pages served over https), so X accounts can't be linked yet.",
  },
  'store-away': { title: "Flock's store is not answering", body: 'Nothing changed. Try again shortly.' },
  'not-found': { title: 'Nothing here', body: 'This address is not part of Flock.' },
  'bad-request': { title: 'Bad request', body: 'Flock could not read that request.' },
} as const;
