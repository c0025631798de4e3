import type { Catalogue } from '../../catalogue.js';

export const help = {
  heading: '## Flock',
  command: '**/{{name}}**: {{description}}',
  keeps: {
    heading: '### Lo que Flock guarda sobre ti',
    link: 'Cuando usas {{link}}: tu cuenta de X (id y @nombre) y los tokens que permiten a Flock actuar como ella, cifrados. Si iniciaste sesión para los roles vinculados, también tu inicio de sesión de Discord, cifrado, y los valores que comprueban tus roles.',
    'lists-days_one': 'Las listas que abres, para que sus botones sigan funcionando (durante {{count}} día).',
    'lists-days_other':
      'Las listas que abres, para que sus botones sigan funcionando (durante {{count}} días).',
    'lists-hours_one':
      'Las listas que abres, para que sus botones sigan funcionando (durante {{count}} hora).',
    'lists-hours_other':
      'Las listas que abres, para que sus botones sigan funcionando (durante {{count}} horas).',
    alerts:
      'Los servidores guardan su configuración de alertas; los perfiles de X que Flock mostró se guardan hasta el final del día (UTC).',
    'own-lists':
      'Las páginas de tus cuentas bloqueadas y silenciadas que abres, cifradas y solo para ti, hasta el final del día (UTC).',
    insights:
      'Lo que /insights y /export leen para ti, y lo que gastas en ellos, hasta el final del día (UTC); las listas de tu propia cuenta, leídas con tu vínculo, cifradas y borradas cuando lo quitas.',
  },
  unlink: '{{unlink}} revoca el acceso de Flock en X y borra todo lo vinculado a ti.',
  contact: 'Preguntas sobre este bot: {{contact}}',
} as const satisfies Catalogue['help'];
