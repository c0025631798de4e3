/** Paged followers/following lists, their buttons and the /lookup profile card. */
export const paging = {
  counts: {
    // `total` is the count as shown (12,345 or 12.3K); `count` picks the plural form.
    followers_one: '{{total}} follower',
    followers_other: '{{total}} followers',
    following_one: '{{total}} following',
    following_other: '{{total}} following',
    posts_one: '{{total}} post',
    posts_other: '{{total}} posts',
  },
  list: {
    'followers-of': 'Followers of {{name}}',
    'followed-by': 'Followed by {{name}}',
    page: 'Page {{page}}',
    'page-of': 'Page {{page}} of {{pages}}',
    'no-followers': '{{handle}} has no followers that X shows.',
    'no-following': "{{handle}} doesn't follow anyone that X shows.",
    'empty-page': 'X shows no accounts on this page (some may be suspended or deactivated).',
  },
  buttons: {
    first: 'First',
    prev: 'Prev',
    next: 'Next',
    'go-to-page': 'Go to page',
  },
  jump: {
    title: 'Go to page',
    label: 'Page (1 to {{pages}})',
    nothing: '(none)',
    'out-of-reach':
      "Page {{typed}} can't be opened from here: pick a page from 1 to {{pages}}. X hands out a list page by page, so {{next}} goes further.",
  },
  refusals: {
    'not-owner': 'Only {{owner}} can turn these pages. Run `/{{command}}` yourself to browse this list.',
    'no-such-page':
      'That button does not lead to a page of this list. Use the buttons under the list to turn its pages.',
    expired: 'These buttons have expired. Run the command again to browse this list.',
  },
  profile: {
    joined: 'Joined {{date}}',
    verified: 'Verified',
    protected: 'Protected: only approved followers see its lists',
    'account-id': 'X account id {{id}}',
    followers: 'Followers',
    following: 'Following',
    'locked-list': '{{list}} (protected)',
    'open-on-x': 'Open on X',
    'follow-on-x': 'Follow on X',
  },
} as const;
