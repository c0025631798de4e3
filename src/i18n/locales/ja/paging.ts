import type { Catalogue } from '../../catalogue.js';

export const paging = {
  counts: {
    followers_other: '{{total}} フォロワー',
    following_other: '{{total}} フォロー中',
    posts_other: '{{total}} ポスト',
  },
  list: {
    'followers-of': '{{name}} のフォロワー',
    'followed-by': '{{name}} がフォロー中のアカウント',
    page: '{{page}} ページ',
    'page-of': '{{page}} / {{pages}} ページ',
    'no-followers': 'X に表示される {{handle}} のフォロワーはいません。',
    'no-following': '{{handle}} がフォローしているアカウントで、X に表示されるものはありません。',
    'empty-page':
      'このページに X が表示するアカウントはありません（凍結または削除されたアカウントがあるのかもしれません）。',
  },
  buttons: {
    first: '最初',
    prev: '前へ',
    next: '次へ',
    'go-to-page': 'ページへ移動',
  },
  jump: {
    title: 'ページへ移動',
    label: 'ページ（1〜{{pages}}）',
    nothing: '（なし）',
    'out-of-reach':
      '{{typed}} ページはここからは開けません。1〜{{pages}} のページを選んでください。X はリストを 1 ページずつ渡すので、「{{next}}」でさらに先へ進めます。',
  },
  refusals: {
    'not-owner':
      'このページをめくれるのは {{owner}} さんだけです。ご自身で `/{{command}}` を実行すると、このリストを見られます。',
    'no-such-page':
      'そのボタンはこのリストのページにつながっていません。リストの下のボタンでページをめくってください。',
    expired: 'これらのボタンは期限切れです。もう一度コマンドを実行すると、このリストを見られます。',
  },
  profile: {
    joined: '{{date}}から X を利用しています',
    verified: '認証済み',
    protected: '非公開: 承認されたフォロワーだけがリストを見られます',
    'account-id': 'X アカウント ID {{id}}',
    followers: 'フォロワー',
    following: 'フォロー中',
    'locked-list': '{{list}}（非公開）',
    'open-on-x': 'X で開く',
    'follow-on-x': 'X でフォロー',
  },
} as const satisfies Catalogue['paging'];
