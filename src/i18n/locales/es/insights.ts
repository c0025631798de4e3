import type { Catalogue } from '../../catalogue.js';

/** /insights y /export: definiciones, presupuesto, progreso, resultados y archivos CSV. */
export const insights = {
  definition: {
    names: {
      insights: 'analisis',
      relationships: 'relaciones',
      overlap: 'coincidencias',
      export: 'exportar',
      list: 'lista',
      account: 'cuenta',
      other: 'otra',
      kind: 'tipo',
    },
    insights: 'Compara listas de seguidores: mutuos, quién no sigue de vuelta, seguidores compartidos',
    relationships: 'Mutuos, seguidores no seguidos y fans de una cuenta de X',
    overlap: 'Seguidores que comparten dos cuentas de X',
    export: 'Exporta una lista de X como archivo CSV, con su precio antes de leer nada',
    list: 'Una lista de X en CSV, con su precio antes',
    account: 'Una cuenta de X: @nombre, nombre, un enlace al perfil o un id numérico',
    other: 'La cuenta de X con la que compararla',
    kind: 'Qué lista',
    choices: {
      followers: 'Seguidores',
      following: 'Seguidos',
      mutuals: 'Mutuos',
      'not-following-back': 'No sigue de vuelta',
      fans: 'Fans',
    },
  },
  lists: {
    followers: 'Seguidores',
    following: 'Seguidos',
    mutuals: 'Mutuos',
    'not-following-back': 'No sigue de vuelta',
    fans: 'Fans',
    shared: 'Seguidores compartidos',
  },
  of: {
    followers: 'Seguidores de {{handle}}',
    following: 'Cuentas que sigue {{handle}}',
    mutuals: 'Mutuos de {{handle}}',
    'not-following-back': 'Seguidores a los que {{handle}} no sigue',
    fans: 'Cuentas que sigue {{handle}} y no le siguen',
  },
  estimate: {
    'title-relationships': 'Relaciones de {{name}}',
    'title-overlap': 'Seguidores de {{name}} y {{other}}',
    'title-export': 'CSV: {{what}}',
    'read-new': '{{what}}: {{users}} usuarios por leer',
    'read-partial': '{{what}}: quedan {{users}} de {{total}} usuarios por leer',
    'read-cached': '{{what}}: ya leída hoy, gratis',
    cost: 'Coste: como mucho {{cost}} ({{price}} por usuario). X cobra cada usuario una vez por día UTC, así que un usuario en dos listas cuesta una vez.',
    allowance: 'Te queda hoy: {{left}} de {{allowance}}.',
    'confirm-note':
      'No se lee nada hasta que confirmes. El resultado se guarda hasta el final del día UTC: volver a pedirlo no cuesta nada.',
  },
  buttons: {
    confirm: 'Confirmar',
    cancel: 'Cancelar',
    stop: 'Detener la lectura',
  },
  refusals: {
    confirmed: 'Esto ya está confirmado: su progreso se ve en este mensaje.',
    allowance:
      'Esto cuesta hasta {{cost}}, más de los {{left}} que te quedan de tu límite diario de {{allowance}}. Se renueva {{when}}.',
    budget:
      'Esto cuesta hasta {{cost}}, más de lo que queda del presupuesto de X de este bot para hoy. Se renueva {{when}}.',
    protected:
      '{{handle}} es una cuenta protegida: Flock solo puede leer sus listas si es tu propia cuenta vinculada.',
    'same-account': 'Elige dos cuentas distintas para compararlas.',
    'own-running': 'Ya tienes una lectura en curso. Detenla o espera a que termine antes de empezar otra.',
    busy: 'Flock está leyendo todas las listas que puede ahora mismo. Vuelve a intentarlo en unos minutos.',
    'not-owner': 'Solo {{owner}} puede usar estos botones. Usa el comando tú mismo para tener los tuyos.',
    expired: 'Este presupuesto ha caducado. Vuelve a usar el comando para obtener uno nuevo.',
    gone: 'Este resultado ya no se guarda (los resultados duran hasta el final del día UTC). Vuelve a usar el comando.',
    cancelled: 'Cancelado: no se ha leído nada.',
    'free-own-busy':
      'Tu última comparación o exportación aún se está preparando. Vuelve a pedirla cuando haya llegado.',
    'free-queue-full':
      'Flock está preparando muchas comparaciones y exportaciones ahora mismo. Vuelve a intentarlo en un minuto.',
    'free-daily':
      'Ya has tenido {{limit}} comparaciones y exportaciones de las lecturas de hoy, el máximo diario. Podrás pedir más {{when}}.',
  },
  progress: {
    title: 'Leyendo para {{what}}',
    line: '{{read}} de unos {{total}} usuarios · {{spent}} gastados',
    'time-left': 'Terminará {{when}} al ritmo actual.',
    waiting: 'Se ha alcanzado el límite de X: se seguirá leyendo {{when}}.',
    'other-read': 'Otra persona está leyendo esta lista ahora mismo; la tuya sigue cuando termine la suya.',
    comparing: 'Comparando las listas…',
    handover:
      'Esta lectura lleva tiempo y sigue sin este mensaje. Vuelve a usar el mismo comando cuando quieras (no cuesta nada más) para seguirla o ver el resultado.',
  },
  outcome: {
    cached: 'Ya se leyó hoy, así que no cuesta nada. El resultado está debajo.',
    done: 'Hecho: {{users}} usuarios leídos, {{spent}} gastados. El resultado está debajo.',
    'done-later':
      'Hecho: {{users}} usuarios leídos, {{spent}} gastados. Vuelve a usar el comando para ver el resultado (gratis).',
    'export-done': 'Hecho: {{rows}} filas, en {{files}} archivo(s) debajo. {{spent}} gastados.',
    kept: 'Lo leído se guarda hasta el final del día UTC: si lo vuelves a pedir, se sigue desde ahí.',
    stopped: {
      cancelled: 'Detenido a petición tuya: {{users}} usuarios leídos, {{spent}} gastados.',
      allowance:
        'Detenido: se ha agotado tu límite diario de {{allowance}} ({{users}} usuarios leídos, {{spent}} gastados). Se renueva {{when}}.',
      budget:
        'Detenido: se ha agotado el presupuesto de X de este bot para hoy ({{users}} usuarios leídos, {{spent}} gastados). Se renueva {{when}}.',
      'usage-capped':
        'Detenido: el plan de X del bot no tiene más lecturas por ahora ({{users}} usuarios leídos, {{spent}} gastados).',
      'not-found': 'Detenido: X ya no encuentra esa cuenta ({{users}} usuarios leídos, {{spent}} gastados).',
      suspended: 'Detenido: esa cuenta está suspendida en X ({{users}} usuarios leídos, {{spent}} gastados).',
      protected: 'Detenido: esa cuenta está protegida en X ({{users}} usuarios leídos, {{spent}} gastados).',
      unlinked:
        'Detenido: tu vínculo con X ya no existe; usa `/link` de nuevo ({{users}} usuarios leídos, {{spent}} gastados).',
      failed:
        'Detenido: algo ha fallado por mi parte y ha quedado registrado ({{users}} usuarios leídos, {{spent}} gastados). Vuelve a pedirlo en un rato.',
      'x-unavailable':
        'Detenido: X no responde ({{users}} usuarios leídos, {{spent}} gastados). Vuelve a pedirlo en un rato.',
    },
  },
  result: {
    'title-relationships': 'Relaciones de {{name}}',
    'title-overlap': 'Seguidores que comparten {{name}} y {{other}}',
    counts: '{{mutuals}} mutuos · {{notBack}} a los que no sigue · {{fans}} fans',
    'overlap-counts': '{{shared}} seguidores compartidos',
    'exclusive-share': '{{handle}}: {{only}} seguidores solo suyos, {{share}} de sus {{total}}',
    explain: {
      mutuals: 'Ellos y {{handle}} se siguen mutuamente.',
      'not-following-back': 'Siguen a {{handle}}, que no los sigue.',
      fans: '{{handle}} los sigue, y ellos no le siguen de vuelta.',
      shared: 'Siguen a las dos cuentas.',
    },
    view: '{{list}} ({{total}})',
    'page-of': 'Página {{page}} de {{pages}}',
    empty: 'No hay nadie en esta lista.',
    'read-on': 'Leído {{when}}.',
  },
  csv: {
    file: '{{what}}: {{rows}} filas.',
    part: '{{what}}, parte {{part}} de {{parts}}: {{rows}} filas.',
  },
} as const satisfies Catalogue['insights'];
