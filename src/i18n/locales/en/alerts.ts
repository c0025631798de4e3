/** /alerts, its replies and refusals (the user's language), and the alerts themselves (the server's). */
export const alerts = {
  'manage-server': 'Only members with the Manage Server permission can manage follower alerts.',
  /** Between the items of a short list (channels, permissions, handles). */
  separator: ', ',
  definition: {
    description: 'Post alerts in a channel when an X account gains or loses followers',
    add: 'Watch an X account and post its follower changes in a channel',
    remove: 'Stop watching an X account (in one channel, or everywhere in this server)',
    list: "Show this server's follower alerts",
    chart: "Chart a watched X account's followers over time",
    digest: "Turn an alert's weekly growth digest on or off",
    options: {
      account: 'The X account to watch: @name, a profile link, or a numeric id',
      'account-to-stop': 'The X account to stop watching',
      channel: 'Where to post the alerts',
      'channel-only': 'Only in this channel',
      events: 'Which changes to announce (default: new followers)',
      role: 'A role to mention with each alert',
      'min-followers': 'Only announce followers who have at least this many followers',
      'account-watched': 'An X account this server has alerts for',
      days: 'How many days to show, 1 to 365 (default 30)',
      'digest-channel': 'The alert channel that gets the digest',
      weekly: 'Turn the weekly digest on or off',
    },
    /** Names as Discord shows them: lowercase, no spaces, at most 32 characters, unique among neighbours. */
    names: {
      alerts: 'alerts',
      add: 'add',
      remove: 'remove',
      list: 'list',
      account: 'account',
      channel: 'channel',
      events: 'events',
      role: 'role',
      'min-followers': 'min_followers',
      chart: 'chart',
      digest: 'digest',
      days: 'days',
      weekly: 'weekly',
    },
    choices: {
      new: 'New followers',
      lost: 'Lost followers',
      both: 'New and lost followers',
      followed: 'Accounts it follows',
      unfollowed: 'Accounts it unfollows',
      follows: 'Accounts it follows and unfollows',
      all: 'All of these',
      on: 'On',
      off: 'Off',
    },
  },
  events: {
    new: 'new followers',
    lost: 'lost followers',
    both: 'new and lost followers',
    followed: 'accounts it follows',
    unfollowed: 'accounts it unfollows',
    follows: 'accounts it follows and unfollows',
    all: 'new and lost followers, and accounts it follows and unfollows',
  },
  add: {
    added:
      'Added alerts for **{{account}}** in {{channel}}: {{events}}. The first check records where the list stands; alerts start from the next one.',
    updated: 'Updated alerts for **{{account}}** in {{channel}}: {{events}}.',
    resumed: 'Resumed alerts for **{{account}}** in {{channel}}: {{events}}.',
    mentioning: '{{events}}, mentioning {{role}}',
    'no-channel': "I can't see that channel. Check that I'm allowed to view it.",
    unchecked:
      "I couldn't check what you may do in {{channel}}, so I can't set up alerts there. Please try again in a moment.",
    'cannot-see': "You can't see {{channel}}, so you can't route alerts there.",
    'cannot-send': "You can't send messages in {{channel}}, so you can't route alerts there.",
    everyone: "Alerts can't ping @everyone. Choose a role for them, or leave the role out.",
    'managed-role':
      "{{role}} belongs to a bot or an integration, so alerts can't ping it. Choose another role.",
    unmentionable:
      "{{role}} isn't mentionable and you don't have Mention @everyone, @here and All Roles in {{channel}}, so you can't make alerts ping it.",
    'flock-missing': "I can't post alerts in {{channel}}: I'm missing {{permissions}} there.",
    full_one:
      'This server already has {{count}} alert, the most it may have. Remove one with `/alerts remove` first.',
    full_other:
      'This server already has {{count}} alerts, the most it may have. Remove one with `/alerts remove` first.',
  },
  /** Discord's own names for the permissions, as its settings show them. */
  permissions: {
    'view-channel': 'View Channel',
    'send-messages': 'Send Messages',
    'embed-links': 'Embed Links',
    'mention-everyone': 'Mention @everyone, @here and All Roles (the role is not mentionable)',
    'attach-files': 'Attach Files',
  },
  remove: {
    stopped_one: 'Stopped {{count}} alert for {{account}} ({{channels}}).',
    stopped_other: 'Stopped {{count}} alerts for {{account}} ({{channels}}).',
    none: 'There are no alerts for {{account}} in this server.',
    'none-in-channel': 'There are no alerts for {{account}} in {{channel}} in this server.',
  },
  list: {
    empty: 'This server has no follower alerts. Add one with `/alerts add`.',
    pings: 'pings {{role}}',
    'min-followers': 'followers with {{min}}+ followers only',
    paused: '**paused**: {{reason}}. `/alerts add` resumes it',
    spend: "Today's estimated X spend for this server's alerts: {{usd}}.",
    digest: 'weekly digest',
  },
  /** /alerts chart. */
  chart: {
    'not-watched':
      'This server has no alerts for {{account}}, so Flock has no record of how it grew. Add one with `/alerts add`.',
    'no-history_one':
      'Nothing is recorded for {{account}} in the last {{count}} day yet: Flock records its followers from the first check after `/alerts add`. Try again later.',
    'no-history_other':
      'Nothing is recorded for {{account}} in the last {{count}} days yet: Flock records its followers from the first check after `/alerts add`. Try again later.',
    'bad-days': 'Choose from 1 to 365 days.',
    'too-soon': 'A chart for this server is being drawn already. Try again in a few seconds.',
    head_one: '**{{account}}**: followers over the last {{n}} day',
    head_other: '**{{account}}**: followers over the last {{n}} days',
  },
  /** The figures beside a chart, for whoever cannot see it (the chart itself has no words). */
  growth: {
    followers: 'Followers: {{first}} on {{firstDay}}, {{last}} on {{lastDay}} ({{change}}).',
    'followers-once': 'Followers: {{last}} on {{lastDay}}.',
    totals_one: 'Gained {{gained}}, lost {{lost}} ({{recorded}} of {{days}} day recorded).',
    totals_other: 'Gained {{gained}}, lost {{lost}} ({{recorded}} of {{days}} days recorded).',
    'best-worst': 'Best day: {{best}} ({{bestChange}}). Worst day: {{worst}} ({{worstChange}}).',
    day: '{{day}}: gained {{gained}}, lost {{lost}}, followers {{followers}}',
    none: 'Nothing was recorded in this period: Flock was not watching the account then.',
    legend:
      'Chart: the blue line is the follower count; green bars are followers gained each day, red bars followers lost.',
    alt: 'Growth chart of {{account}}: from {{first}} to {{last}} followers, {{gained}} gained and {{lost}} lost.',
  },
  /** /alerts digest, and the weekly digest itself (the server's language). */
  digest: {
    on_one:
      'Weekly digest on for {{account}} in {{channels}}: every Monday (UTC), the chart and the numbers of the week before.',
    on_other:
      'Weekly digest on for {{account}} in {{channels}}: every Monday (UTC), the chart and the numbers of the week before.',
    off: 'Weekly digest off for {{account}} in {{channels}}.',
    none: 'There is no alert for {{account}} in {{channel}}. Add one with `/alerts add` first.',
    'flock-missing': "I can't attach the chart in {{channel}}: I'm missing {{permissions}} there.",
    head: 'Weekly digest for **{{account}}**, {{from}} to {{to}}',
    'no-file': 'The chart is missing: Flock may not attach files in this channel (it needs Attach Files).',
  },
  /** Where an account's events come from, and how that is going, in /alerts list. */
  source: {
    'not-yet': 'not yet',
    checks: 'last check {{last}}, next {{next}}',
    'checks-waiting': 'last check {{last}}, next {{next}} ({{why}})',
    streamed: "live from X's Activity stream since {{since}}",
    'streamed-down': "live from X's Activity stream since {{since}} (the stream is {{state}} since {{down}})",
    'streamed-down-why':
      "live from X's Activity stream since {{since}} (the stream is {{state}} since {{down}}: {{why}})",
    gap: '{{stream}}; the stream missed more than X replays from {{gap}}, so a poll is reconciling: {{checks}}',
    'stream-state': {
      stopped: 'not running',
      off: 'off',
      reconnecting: 'reconnecting',
    },
    'first-check': 'the first check records where the list stands',
    polled: 'polled: {{checks}}',
    'polled-why': 'polled ({{why}}): {{checks}}',
    'own-follows':
      '{{source}}; its own follows and unfollows need the Activity stream, so they are not announced',
    'not-served': 'not served: ALERTS_SOURCE=stream turns polling off',
    'not-served-why': 'not served ({{why}}): ALERTS_SOURCE=stream turns polling off',
  },
  reasons: {
    'channel-deleted': 'the channel was deleted',
    'channel-closed': 'Flock may not post there (check View Channel, Send Messages and Embed Links)',
    'account-not-found': '{{account}} no longer exists on X',
    'account-suspended': '{{account}} is suspended on X',
    'account-protected': '{{account}} is protected on X',
    'poll-setting': 'ALERTS_SOURCE is poll',
    'no-activity-api': "the bot's X plan has no Activity API",
    'own-limit': "X's limit of {{limit}} Activity subscriptions is reached",
    'x-limit': "X's limit of Activity subscriptions is reached",
    'needs-sign-in': 'X streams this account only with its own sign-in: its owner can link it with `/link`',
    refused: 'X will not stream this account (for example, it is protected)',
    'rate-limited': 'waiting for X’s rate limit',
    'budget-spent': 'today’s X budget is spent',
    'x-down': 'X is not answering',
    'connection-refused': 'X refused another stream connection',
    'stream-down': 'X’s Activity stream is not answering',
    'other-process': 'another Flock process holds it',
  },
  /** Told in the server (its system channel) when delivery to a channel stops. */
  'paused-notice':
    'Follower alerts for {{accounts}} in {{channel}} are paused: {{reason}}. Run `/alerts add` again to resume them.',
  /** The alerts themselves, in the server's language. */
  alert: {
    new: 'New follower: {{name}}',
    followed: 'Now follows: {{name}}',
    'no-longer-follows': 'No longer follows: {{name}}',
    unfollowed: 'Unfollowed: {{name}}',
    suspended: 'Follower suspended: {{name}}',
    'suspended-nameless': 'Follower suspended',
    'left-x': 'Follower left X: {{name}}',
    'left-x-nameless': 'Follower left X',
    followers_one: '{{n}} follower',
    followers_other: '{{n}} followers',
    'account-id': 'X account id {{id}}',
    'id-only': 'id {{id}}',
    summary: {
      new_one: '{{account}} has {{n}} new follower.',
      new_other: '{{account}} has {{n}} new followers.',
      lost_one: '{{account}} lost {{n}} follower.',
      lost_other: '{{account}} lost {{n}} followers.',
      followed_one: '{{account}} followed {{n}} account.',
      followed_other: '{{account}} followed {{n}} accounts.',
      unfollowed_one: '{{account}} unfollowed {{n}} account.',
      unfollowed_other: '{{account}} unfollowed {{n}} accounts.',
    },
    also: 'Also: {{names}}.',
    'also-and-more': 'Also: {{names}}, and {{more}} more.',
    'also-more': 'Also: {{more}} more.',
  },
} as const;
