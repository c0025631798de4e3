import type { Catalogue } from '../../catalogue.js';

export const accounts = {
  'not-linked': 'Primero vincula tu cuenta de X con `/link`.',
  'link-lost':
    'Tu vínculo con X dejó de funcionar (se revocó en X o caducó), así que lo eliminé. Usa `/link` para conectar de nuevo tu cuenta de X.',
  'linking-off':
    'La vinculación aún no está configurada en este bot: quien lo opera tiene que añadir el secreto de cliente de la aplicación de Discord (DISCORD_CLIENT_SECRET) y servir las páginas de Flock por https.',
  'open-on-x': 'Abrir en X',
  follow: {
    self: 'No puedes seguir tu propia cuenta.',
    already: 'Ya sigues a **{{who}}** en X.',
    waiting: 'Tu solicitud para seguir a **{{who}}** sigue esperando su aprobación.',
    'plan-refuses':
      'No puedo seguir cuentas por ti: el plan de X de este bot no incluye seguir cuentas. Puedes seguir a **{{who}}** directamente en X.',
    'follow-on-x': 'Seguir en X',
    requested: 'Solicitud enviada: **{{who}}** es una cuenta privada y aprueba a cada seguidor.',
    done: 'Ahora sigues a **{{who}}** en X.',
    'allowance-spent_one':
      'Flock ya siguió o dejó de seguir {{count}} cuenta por ti hoy, lo máximo que hace por una persona en un día. Podrá hacerlo de nuevo {{when}}; mientras tanto puedes hacerlo en X.',
    'allowance-spent_other':
      'Flock ya siguió o dejó de seguir {{count}} cuentas por ti hoy, lo máximo que hace por una persona en un día. Podrá hacerlo de nuevo {{when}}; mientras tanto puedes hacerlo en X.',
  },
  unfollow: {
    self: 'No puedes dejar de seguir tu propia cuenta.',
    'not-following': 'No sigues a **{{who}}** en X, así que no cambió nada.',
    'plan-refuses':
      'No puedo dejar de seguir cuentas por ti: el plan de X de este bot no lo incluye. Puedes dejar de seguir a **{{who}}** desde su perfil en X.',
    'plan-refuses-request':
      'No puedo dejar de seguir cuentas por ti: el plan de X de este bot no lo incluye. Puedes retirar tu solicitud para seguir a **{{who}}** desde su perfil en X.',
    done: 'Ya no sigues a **{{who}}** en X.',
    withdrawn: 'Se retiró tu solicitud para seguir a **{{who}}**.',
  },
  link: {
    current:
      'Tu cuenta de Discord está vinculada a X como **{{who}}**. `/follow` y `/unfollow` actúan como esa cuenta.',
    relink: 'Volver a vincular',
    unlink: 'Desvincular',
    connect:
      'Conecta tu cuenta de X para seguir y dejar de seguir desde Discord. El botón primero te pide iniciar sesión con Discord (para que solo tú puedas usarlo) y luego abre X, donde apruebas a Flock. Funciona durante 10 minutos, en un solo navegador.',
    'connect-button': 'Conectar cuenta de X',
    linked: 'Cuenta vinculada como **{{who}}**. Ya puedes usar `/follow` y `/unfollow`.',
    denied: 'Se canceló la vinculación, así que no cambió nada. Usa `/link` para intentarlo de nuevo.',
    'wrong-user':
      'Otra persona abrió tu botón de vinculación e inició sesión con otra cuenta de Discord, así que lo cancelé y no se vinculó nada. Vuelve a usar `/link` y no compartas el botón.',
    'x-taken':
      'Esa cuenta de X ya está vinculada a otra cuenta de Discord, así que no cambió nada. Desvincúlala allí primero (`/unlink`) y luego vuelve a usar `/link`.',
  },
  unlink: {
    none: 'No tienes ninguna cuenta de X vinculada.',
    revoked: 'Se desvinculó **{{who}}**: Flock revocó su acceso en X y borró todo lo que guardaba sobre ti.',
    unconfirmed:
      'Se desvinculó **{{who}}** y se borró todo lo que se guardaba sobre ti, pero X no confirmó la revocación. También puedes quitar Flock en x.com, en Configuración y privacidad → Seguridad y acceso a la cuenta → Aplicaciones y sesiones.',
    'roles-pending':
      '{{unlinked}} Discord no respondió cuando Flock borró tus Roles vinculados, así que un rol que te hayan dado podría quedarse un rato más: Flock lo sigue intentando.',
  },
  roles: {
    'x-linked': { name: 'Cuenta de X vinculada', description: 'Ha vinculado una cuenta de X con Flock' },
    'x-followers': { name: 'Seguidores en X', description: 'Seguidores en X, como mínimo' },
    'x-verified': { name: 'Verificada en X', description: 'Tiene una cuenta de X verificada' },
    'x-created': {
      name: 'Días en X',
      description: 'Días desde que se creó la cuenta de X, como mínimo',
    },
  },
} as const satisfies Catalogue['accounts'];
