import type { Catalogue } from '../../catalogue.js';

export const web = {
  again: 'Usa `/link` en Discord para obtener un enlace nuevo.',
  'close-tab': 'Puedes cerrar esta pestaña y volver a Discord.',
  linked: {
    title: 'Cuenta vinculada como {{who}}',
    body: 'Tu cuenta de X {{who}} ya está vinculada a Flock.',
  },
  verified: {
    title: 'Roles vinculados actualizados',
    body: 'Los servidores que usan los Roles vinculados de Flock ya ven tu cuenta de X {{who}}.',
  },
  denied: {
    title: 'Vinculación cancelada',
    body: 'No aprobaste a Flock, así que no se vinculó nada.',
    again: 'Para intentarlo de nuevo, usa `/link` en Discord.',
  },
  missing: {
    title: 'Este enlace está incompleto',
    body: 'A la dirección le falta parte de lo que X envía de vuelta.',
  },
  unknown: { title: 'Este enlace no se puede usar', body: 'Ya se usó, o no es uno que haya creado Flock.' },
  expired: { title: 'Este enlace caducó', body: 'Los enlaces de `/link` funcionan durante 10 minutos.' },
  refused: {
    title: 'X no aceptó el inicio de sesión',
    body: 'La aprobación tardó demasiado o ya se había usado, así que no se vinculó nada.',
  },
  unavailable: { title: 'X no responde', body: 'No se vinculó nada. Inténtalo de nuevo en un momento:' },
  'discord-refused': {
    title: 'Discord no aceptó el inicio de sesión',
    body: 'La aprobación tardó demasiado o ya se había usado, así que no se vinculó nada.',
  },
  'discord-unavailable': {
    title: 'Discord no responde',
    body: 'No se vinculó nada. Inténtalo de nuevo en un momento:',
  },
  'x-taken': {
    title: 'Esta cuenta de X está vinculada a otra persona',
    body: 'Otra cuenta de Discord ya vinculó esta cuenta de X, así que no cambió nada.',
    next: 'Desvincúlala allí primero con `/unlink` y luego vuelve a usar `/link`.',
  },
  'other-browser': {
    title: 'Este enlace se abrió en otro navegador',
    body: 'La vinculación solo continúa en el navegador donde empezó, así que no se vinculó nada.',
  },
  'wrong-user': {
    title: 'Este enlace es de otra persona',
    body: 'Iniciaste sesión en Discord como alguien distinto de quien usó `/link`. No se vinculó nada y este enlace ya no funciona.',
    next: 'Para vincular tu propia cuenta de X, usa `/link` en Discord desde tu cuenta.',
  },
  'not-configured': {
    title: 'La vinculación no está configurada',
    body: 'Quien opera este bot no terminó de configurar el inicio de sesión con Discord (DISCORD_CLIENT_SECRET y páginas servidas por https), así que todavía no se pueden vincular cuentas de X.',
  },
  'store-away': {
    title: 'El almacén de Flock no responde',
    body: 'No cambió nada. Inténtalo de nuevo en un momento.',
  },
  'not-found': { title: 'Aquí no hay nada', body: 'Esta dirección no forma parte de Flock.' },
  'bad-request': { title: 'Solicitud incorrecta', body: 'Flock no pudo leer esa solicitud.' },
} as const satisfies Catalogue['web'];
