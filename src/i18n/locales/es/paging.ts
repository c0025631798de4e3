import type { Catalogue } from '../../catalogue.js';

export const paging = {
  counts: {
    followers_one: '{{total}} seguidor',
    followers_other: '{{total}} seguidores',
    following_one: '{{total}} siguiendo',
    following_other: '{{total}} siguiendo',
    posts_one: '{{total}} publicación',
    posts_other: '{{total}} publicaciones',
  },
  list: {
    'followers-of': 'Seguidores de {{name}}',
    'followed-by': 'Cuentas que sigue {{name}}',
    page: 'Página {{page}}',
    'page-of': 'Página {{page}} de {{pages}}',
    'no-followers': '{{handle}} no tiene seguidores que X muestre.',
    'no-following': '{{handle}} no sigue a ninguna cuenta que X muestre.',
    'empty-page':
      'X no muestra ninguna cuenta en esta página (puede que algunas estén suspendidas o desactivadas).',
  },
  buttons: {
    first: 'Primera',
    prev: 'Anterior',
    next: 'Siguiente',
    'go-to-page': 'Ir a la página',
  },
  jump: {
    title: 'Ir a la página',
    label: 'Página (de 1 a {{pages}})',
    nothing: '(ninguna)',
    'out-of-reach':
      'No se puede abrir la página {{typed}} desde aquí: elige una página de 1 a {{pages}}. X entrega las listas página a página, así que con «{{next}}» llegas más lejos.',
  },
  refusals: {
    'not-owner':
      'Solo {{owner}} puede pasar estas páginas. Usa `/{{command}}` para ver esta lista por tu cuenta.',
    'no-such-page':
      'Ese botón no lleva a ninguna página de esta lista. Usa los botones que hay debajo de la lista para pasar sus páginas.',
    expired: 'Estos botones han caducado. Vuelve a usar el comando para ver esta lista.',
  },
  profile: {
    joined: 'Se unió el {{date}}',
    verified: 'Verificada',
    protected: 'Privada: solo sus seguidores aprobados ven sus listas',
    'account-id': 'ID de la cuenta de X: {{id}}',
    followers: 'Seguidores',
    following: 'Siguiendo',
    'locked-list': '{{list}} (privada)',
    'open-on-x': 'Abrir en X',
    'follow-on-x': 'Seguir en X',
  },
} as const satisfies Catalogue['paging'];
