/** /insights and /export: their definitions, the estimate, progress, results and CSV files. */
export const insights = {
  definition: {
    names: {
      insights: 'insights',
      relationships: 'relationships',
      overlap: 'overlap',
      export: 'export',
      list: 'list',
      account: 'account',
      other: 'other',
      kind: 'kind',
    },
    insights: 'Compare follower lists: mutuals, who does not follow back, shared followers',
    relationships: 'Mutuals, followers not followed back, and fans of an X account',
    overlap: 'Followers two X accounts share',
    export: 'Export an X list as a CSV file, priced before anything is read',
    list: 'An X list as a CSV file, priced first',
    account: 'An X account: @name, name, a profile link, or a numeric id',
    other: 'The X account to compare it with',
    kind: 'Which list',
    choices: {
      followers: 'Followers',
      following: 'Following',
      mutuals: 'Mutuals',
      'not-following-back': 'Not following back',
      fans: 'Fans',
    },
  },
  lists: {
    followers: 'Followers',
    following: 'Following',
    mutuals: 'Mutuals',
    'not-following-back': 'Not following back',
    fans: 'Fans',
    shared: 'Shared followers',
  },
  of: {
    followers: 'Followers of {{handle}}',
    following: 'Accounts {{handle}} follows',
    mutuals: 'Mutuals of {{handle}}',
    'not-following-back': 'Followers {{handle}} does not follow back',
    fans: 'Accounts {{handle}} follows that do not follow back',
  },
  estimate: {
    'title-relationships': 'Relationships of {{name}}',
    'title-overlap': 'Followers of {{name}} and {{other}}',
    'title-export': 'CSV: {{what}}',
    'read-new': '{{what}}: {{users}} users to read',
    'read-partial': '{{what}}: {{users}} of {{total}} users left to read',
    'read-cached': '{{what}}: already read today, free',
    cost: 'Cost: at most {{cost}} ({{price}} a user). X bills each user once a UTC day, so a user on two lists costs once.',
    allowance: 'Your allowance left today: {{left}} of {{allowance}}.',
    'confirm-note':
      'Nothing is read until you confirm. The result is kept until the end of the UTC day: asking again costs nothing.',
  },
  buttons: {
    confirm: 'Confirm',
    cancel: 'Cancel',
    stop: 'Stop reading',
  },
  refusals: {
    confirmed: 'This is already confirmed: its progress is on this message.',
    allowance:
      'This costs up to {{cost}}, more than the {{left}} left of your daily allowance of {{allowance}}. It resets {{when}}.',
    budget:
      "This costs up to {{cost}}, more than is left of this bot's X budget for today. It resets {{when}}.",
    protected: '{{handle}} is protected: Flock can read its lists only when it is your own linked account.',
    'same-account': 'Pick two different accounts to compare.',
    'own-running':
      'You already have a read under way. Stop it, or wait for it to finish, before starting another.',
    busy: 'Flock is reading as many lists as it can right now. Try again in a few minutes.',
    'not-owner': 'Only {{owner}} can use these buttons. Run the command yourself to get your own.',
    expired: 'This estimate has expired. Run the command again for a fresh one.',
    gone: 'This result is no longer kept (results last until the end of the UTC day). Run the command again.',
    cancelled: 'Cancelled: nothing was read.',
    'free-own-busy': 'Your last comparison or export is still being prepared. Ask again once it has arrived.',
    'free-queue-full': 'Flock is preparing many comparisons and exports right now. Try again in a minute.',
    'free-daily':
      'You have had {{limit}} comparisons and exports from today’s reads, the most in a day. More {{when}}.',
  },
  progress: {
    title: 'Reading for {{what}}',
    line: '{{read}} of about {{total}} users · {{spent}} spent',
    'time-left': 'Done {{when}} at the current pace.',
    waiting: "X's rate limit is reached: reading again {{when}}.",
    'other-read': 'Someone else is reading this list right now; yours goes on when theirs is done.',
    comparing: 'Comparing the lists…',
    handover:
      'This read takes a while and goes on without this message. Run the same command again at any time (it costs nothing more) to follow it or to see the result.',
  },
  outcome: {
    cached: 'Read earlier today, so this costs nothing. The result is below.',
    done: 'Done: {{users}} users read, {{spent}} spent. The result is below.',
    'done-later':
      'Done: {{users}} users read, {{spent}} spent. Run the command again to see the result (free).',
    'export-done': 'Done: {{rows}} rows, in {{files}} file(s) below. {{spent}} spent.',
    kept: 'What was read is kept until the end of the UTC day: asking again goes on from there.',
    stopped: {
      cancelled: 'Stopped at your request: {{users}} users read, {{spent}} spent.',
      allowance:
        'Stopped: your daily allowance of {{allowance}} is used up ({{users}} users read, {{spent}} spent). It resets {{when}}.',
      budget:
        "Stopped: this bot's X budget for today is used up ({{users}} users read, {{spent}} spent). It resets {{when}}.",
      'usage-capped':
        "Stopped: the bot's X plan has no reads left for now ({{users}} users read, {{spent}} spent).",
      'not-found': 'Stopped: X no longer finds that account ({{users}} users read, {{spent}} spent).',
      suspended: 'Stopped: that account is suspended on X ({{users}} users read, {{spent}} spent).',
      protected: 'Stopped: that account is protected on X ({{users}} users read, {{spent}} spent).',
      unlinked: 'Stopped: your X link is gone; run `/link` again ({{users}} users read, {{spent}} spent).',
      failed:
        'Stopped: something went wrong on my side and has been logged ({{users}} users read, {{spent}} spent). Ask again shortly.',
      'x-unavailable':
        'Stopped: X is not answering ({{users}} users read, {{spent}} spent). Ask again shortly.',
    },
  },
  result: {
    'title-relationships': 'Relationships of {{name}}',
    'title-overlap': 'Followers shared by {{name}} and {{other}}',
    counts: '{{mutuals}} mutuals · {{notBack}} not following back · {{fans}} fans',
    'overlap-counts': '{{shared}} shared followers',
    'exclusive-share': '{{handle}}: {{only}} followers of its own, {{share}} of its {{total}}',
    explain: {
      mutuals: 'They and {{handle}} follow each other.',
      'not-following-back': 'They follow {{handle}}, who does not follow them.',
      fans: '{{handle}} follows them, and they do not follow back.',
      shared: 'They follow both accounts.',
    },
    view: '{{list}} ({{total}})',
    'page-of': 'Page {{page}} of {{pages}}',
    empty: 'Nobody is on this list.',
    'read-on': 'Read {{when}}.',
  },
  csv: {
    file: '{{what}}: {{rows}} rows.',
    part: '{{what}}, part {{part}} of {{parts}}: {{rows}} rows.',
  },
} as const;
