import type { Catalogue } from '../../catalogue.js';

export const errors = {
  'store-away': 'El almacén de Flock no responde; inténtalo de nuevo en un momento.',
  busy: 'Flock sigue ocupado con esto en otro proceso; inténtalo de nuevo en un momento.',
  apology:
    'Lo siento, algo ha fallado por mi parte. Ha quedado registrado; inténtalo de nuevo en un momento.',
  'unknown-command': 'Ese comando ya no forma parte de este bot.',
  'old-button': 'Este botón pertenece a una versión anterior del bot y ya no funciona.',
  'old-form': 'Este formulario pertenece a una versión anterior del bot y ya no funciona.',
  'server-only': 'Este comando solo funciona en un servidor que haya añadido Flock.',
  'manage-server': 'Solo los miembros con el permiso Gestionar servidor pueden usar este comando.',
  'not-a-choice': '«{{option}}» tiene que ser una de las opciones ofrecidas.',
  'not-an-account':
    'Eso no parece una cuenta de X. Usa `@nombre`, `nombre`, un enlace de perfil como `https://x.com/nombre` o un id numérico de cuenta.',
  x: {
    'this-account': 'esta cuenta',
    'that-account': 'esa cuenta',
    'account-by-id': 'la cuenta con id {{id}}',
    'not-found': 'No encontré {{who}} en X. Revisa cómo está escrito o prueba con el enlace del perfil.',
    suspended: '{{who}} está suspendida en X, así que no hay nada que mostrar.',
    protected: '{{who}} es privada: solo sus seguidores aprobados pueden ver sus listas.',
    'rate-limited':
      'X está limitando cuántas veces puedo preguntar ahora mismo. Inténtalo de nuevo {{when}}.',
    'budget-exceeded':
      'El bot de este servidor ha gastado el presupuesto de X de hoy. Las listas vuelven {{when}}.',
    'not-enrolled':
      'La app de X de este bot no puede hacer eso: su plan de X no incluye esta función. Quien opera el bot puede cambiar el plan en el portal de desarrolladores de X.',
    unavailable: 'X no responde; inténtalo de nuevo en un momento.',
  },
} as const satisfies Catalogue['errors'];
