/**
 * The linked account's own blocks and mutes: /blocks and /mutes (private paged lists), /mute and
 * /unmute, and the request to relink for a link made before Flock asked X for these scopes.
 * `{{who}}` is an account as x-text.ts writes it (`@name`, escaped for Discord).
 */
export const moderation = {
  blocks: { name: 'blocks', description: 'The accounts you block on X, shown only to you' },
  mutes: { name: 'mutes', description: 'The accounts you mute on X, shown only to you' },
  mute: {
    name: 'mute',
    description: 'Mute an X account as your linked account',
    self: "You can't mute yourself.",
    already: 'You already mute **{{who}}** on X, so nothing changed.',
    'plan-refuses':
      "I can't mute accounts for you: this bot's X plan doesn't include muting. You can mute **{{who}}** from their profile on X.",
    done: 'You now mute **{{who}}** on X: their posts stay out of your timeline, and they are not told.',
    'allowance-spent_one':
      'Flock has muted or unmuted {{count}} account for you today, the most it does for one person in a day. It can again {{when}}; meanwhile you can do it on X.',
    'allowance-spent_other':
      'Flock has muted or unmuted {{count}} accounts for you today, the most it does for one person in a day. It can again {{when}}; meanwhile you can do it on X.',
  },
  unmute: {
    name: 'unmute',
    description: 'Unmute an X account as your linked account',
    self: "You can't unmute yourself.",
    'not-muted': "You don't mute **{{who}}** on X, so nothing changed.",
    'plan-refuses':
      "I can't unmute accounts for you: this bot's X plan doesn't include it. You can unmute **{{who}}** from their profile on X.",
    done: 'You no longer mute **{{who}}** on X.',
  },
  list: {
    'your-account': 'your X account',
    'blocks-title': 'Accounts you block',
    'mutes-title': 'Accounts you mute',
    'no-blocks': "You don't block anyone on X.",
    'no-mutes': "You don't mute anyone on X.",
    'blocks-note':
      "Only you see this list. Flock can't block or unblock for you: X allows that only to Enterprise apps. To block an account, open its profile on X and choose ⋯ then Block.",
    'mutes-note': 'Only you see this list. `/mute` and `/unmute` change it.',
    'other-account':
      "This list belongs to an X account you're no longer linked to. Run the command again to see your current account's.",
    'rate-limited-blocks':
      'X limits how often Flock may read your blocks, and that limit is used up for now. Try again {{when}}; the pages you already opened today still work.',
    'rate-limited-mutes':
      'X limits how often Flock may read your mutes, and that limit is used up for now. Try again {{when}}; the pages you already opened today still work.',
  },
  relink: {
    blocking:
      "X hasn't given your link permission to read your blocks (links made before Flock showed them lack it). Press **{{relink}}** to link again and approve it; everything else keeps working meanwhile.",
    muting:
      "X hasn't given your link permission to read your mutes (links made before Flock showed them lack it). Press **{{relink}}** to link again and approve it; everything else keeps working meanwhile.",
    'mute-write':
      "X hasn't given your link permission to mute and unmute (links made before Flock could lack it). Press **{{relink}}** to link again and approve it; everything else keeps working meanwhile.",
  },
} as const;
