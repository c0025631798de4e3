/**
 * Linking an X account, following as it, and Linked Roles: the /link, /unlink, /follow and
 * /unfollow replies, their refusals, and the /link reply's edits when the browser flow ends.
 * `{{who}}` is an account as x-text.ts writes it (`@name`, escaped for Discord).
 */
export const accounts = {
  'not-linked': 'First link your X account with `/link`.',
  'link-lost':
    'Your X link stopped working (it was revoked on X or has expired), so I removed it. Run `/link` to connect your X account again.',
  'linking-off':
    "Linking isn't set up on this bot yet: its operator needs to add the Discord application's client secret (DISCORD_CLIENT_SECRET) and serve Flock's pages over https.",
  'open-on-x': 'Open on X',
  follow: {
    self: "You can't follow yourself.",
    already: 'You already follow **{{who}}** on X.',
    waiting: 'Your follow request to **{{who}}** is still waiting for their approval.',
    'plan-refuses':
      "I can't follow accounts for you: this bot's X plan doesn't include following. You can follow **{{who}}** on X itself.",
    'follow-on-x': 'Follow on X',
    requested: 'Follow request sent: **{{who}}** is a protected account and approves each follower.',
    done: 'You now follow **{{who}}** on X.',
    'allowance-spent_one':
      'Flock has followed or unfollowed {{count}} account for you today, the most it does for one person in a day. It can again {{when}}; meanwhile you can do it on X.',
    'allowance-spent_other':
      'Flock has followed or unfollowed {{count}} accounts for you today, the most it does for one person in a day. It can again {{when}}; meanwhile you can do it on X.',
  },
  unfollow: {
    self: "You can't unfollow yourself.",
    'not-following': "You don't follow **{{who}}** on X, so nothing changed.",
    'plan-refuses':
      "I can't unfollow accounts for you: this bot's X plan doesn't include it. You can unfollow **{{who}}** from their profile on X.",
    'plan-refuses-request':
      "I can't unfollow accounts for you: this bot's X plan doesn't include it. You can withdraw your follow request to **{{who}}** from their profile on X.",
    done: 'You no longer follow **{{who}}** on X.',
    withdrawn: 'Your follow request to **{{who}}** was withdrawn.',
  },
  link: {
    current:
      'Your Discord account is linked to X as **{{who}}**. `/follow` and `/unfollow` act as that account.',
    relink: 'Relink',
    unlink: 'Unlink',
    connect:
      'Connect your X account to follow and unfollow from Discord. The button first asks you to sign in with Discord (so only you can use it), then opens X, where you approve Flock. It works for 10 minutes, in one browser.',
    'connect-button': 'Connect X account',
    linked: 'Linked as **{{who}}**. You can now use `/follow` and `/unfollow`.',
    denied: 'Linking was cancelled, so nothing changed. Run `/link` to try again.',
    'wrong-user':
      'Someone else opened your link button and signed in with another Discord account, so I cancelled it and nothing was linked. Run `/link` again and keep the button to yourself.',
    'x-taken':
      'That X account is already linked to another Discord account, so nothing changed. Unlink it there first (`/unlink`), then run `/link` again.',
  },
  unlink: {
    none: 'You have no linked X account.',
    revoked: 'Unlinked **{{who}}**: Flock revoked its access at X and deleted everything it stored for you.',
    unconfirmed:
      'Unlinked **{{who}}** and deleted everything stored for you, but X did not confirm the revocation. You can also remove Flock on x.com under Settings → Security and account access → Apps and sessions.',
    'roles-pending':
      '{{unlinked}} Discord did not answer when Flock cleared your Linked Roles, so any role they gave you may stay a little longer: Flock keeps trying.',
  },
  /** What a server's admin reads when picking a Linked Roles condition (name ≤ 100, description ≤ 200). */
  roles: {
    'x-linked': { name: 'Linked X account', description: 'Has linked an X account through Flock' },
    'x-followers': { name: 'X followers', description: 'Followers on X, at least' },
    'x-verified': { name: 'Verified on X', description: 'Has a verified X account' },
    'x-created': { name: 'Days on X', description: 'Days since the X account was created, at least' },
  },
} as const;
