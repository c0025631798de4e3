import type { Catalogue } from '../../catalogue.js';

export const moderation = {
  blocks: {
    name: 'bloqueos',
    description: 'Las cuentas que bloqueas en X, solo para ti',
  },
  mutes: {
    name: 'silenciados',
    description: 'Las cuentas que silencias en X, solo para ti',
  },
  mute: {
    name: 'silenciar',
    description: 'Silencia una cuenta de X con tu cuenta vinculada',
    self: 'No puedes silenciarte a ti mismo.',
    already: 'Ya silencias a **{{who}}** en X, así que nada cambió.',
    'plan-refuses':
      'No puedo silenciar cuentas por ti: el plan de X de este bot no incluye silenciar. Puedes silenciar a **{{who}}** desde su perfil en X.',
    done: 'Ahora silencias a **{{who}}** en X: sus publicaciones no aparecen en tu cronología, y no se le avisa.',
    'allowance-spent_one':
      'Flock ya silenció o dejó de silenciar {{count}} cuenta por ti hoy, lo máximo que hace por una persona en un día. Podrá hacerlo de nuevo {{when}}; mientras tanto puedes hacerlo en X.',
    'allowance-spent_other':
      'Flock ya silenció o dejó de silenciar {{count}} cuentas por ti hoy, lo máximo que hace por una persona en un día. Podrá hacerlo de nuevo {{when}}; mientras tanto puedes hacerlo en X.',
  },
  unmute: {
    name: 'dejar-de-silenciar',
    description: 'Deja de silenciar una cuenta de X con tu cuenta vinculada',
    self: 'No puedes dejar de silenciarte a ti mismo.',
    'not-muted': 'No silencias a **{{who}}** en X, así que nada cambió.',
    'plan-refuses':
      'No puedo dejar de silenciar cuentas por ti: el plan de X de este bot no lo incluye. Puedes dejar de silenciar a **{{who}}** desde su perfil en X.',
    done: 'Ya no silencias a **{{who}}** en X.',
  },
  list: {
    'your-account': 'tu cuenta de X',
    'blocks-title': 'Cuentas que bloqueas',
    'mutes-title': 'Cuentas que silencias',
    'no-blocks': 'No bloqueas a nadie en X.',
    'no-mutes': 'No silencias a nadie en X.',
    'blocks-note':
      'Solo tú ves esta lista. Flock no puede bloquear ni desbloquear por ti: X solo lo permite a las apps Enterprise. Para bloquear una cuenta, abre su perfil en X y elige ⋯ y luego Bloquear.',
    'mutes-note': 'Solo tú ves esta lista. `/mute` y `/unmute` la cambian.',
    'other-account':
      'Esta lista es de una cuenta de X que ya no tienes vinculada. Vuelve a usar el comando para ver la de tu cuenta actual.',
    'rate-limited-blocks':
      'X limita cuántas veces puede Flock leer tus bloqueos, y ese límite está agotado por ahora. Vuelve a intentarlo {{when}}; las páginas que ya abriste hoy siguen funcionando.',
    'rate-limited-mutes':
      'X limita cuántas veces puede Flock leer tus silenciados, y ese límite está agotado por ahora. Vuelve a intentarlo {{when}}; las páginas que ya abriste hoy siguen funcionando.',
  },
  relink: {
    blocking:
      'X no le ha dado a tu vínculo permiso para leer tus bloqueos (los vínculos hechos antes de que Flock los mostrara no lo tienen). Pulsa **{{relink}}** para vincular de nuevo y aprobarlo; todo lo demás sigue funcionando mientras tanto.',
    muting:
      'X no le ha dado a tu vínculo permiso para leer tus silenciados (los vínculos hechos antes de que Flock los mostrara no lo tienen). Pulsa **{{relink}}** para vincular de nuevo y aprobarlo; todo lo demás sigue funcionando mientras tanto.',
    'mute-write':
      'X no le ha dado a tu vínculo permiso para silenciar y dejar de silenciar (los vínculos hechos antes de que Flock pudiera hacerlo no lo tienen). Pulsa **{{relink}}** para vincular de nuevo y aprobarlo; todo lo demás sigue funcionando mientras tanto.',
  },
} as const satisfies Catalogue['moderation'];
