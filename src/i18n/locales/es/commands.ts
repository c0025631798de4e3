import type { Catalogue } from '../../catalogue.js';

export const commands = {
  followers: {
    name: 'seguidores',
    description: 'Explora los seguidores de una cuenta de X, los más recientes primero',
  },
  following: {
    name: 'siguiendo',
    description: 'Explora las cuentas que sigue una cuenta de X, las más recientes primero',
  },
  lookup: {
    name: 'perfil',
    description: 'Muestra el perfil de una cuenta de X, con botones a sus seguidores y a quién sigue',
  },
  link: {
    name: 'vincular',
    description: 'Conecta tu cuenta de X para seguir y dejar de seguir desde Discord',
  },
  unlink: {
    name: 'desvincular',
    description: 'Desconecta tu cuenta de X: Flock revoca su acceso y borra lo que guardó sobre ti',
  },
  follow: { name: 'seguir', description: 'Sigue una cuenta de X con tu cuenta de X vinculada' },
  unfollow: {
    name: 'dejar-de-seguir',
    description: 'Deja de seguir una cuenta de X con tu cuenta de X vinculada',
  },
  help: { name: 'ayuda', description: 'Qué puede hacer Flock, qué guarda sobre ti y cómo borrarlo' },
  options: {
    user: {
      name: 'cuenta',
      description: 'Una cuenta de X: @nombre, nombre, un enlace de perfil o un id numérico',
    },
  },
} as const satisfies Catalogue['commands'];
