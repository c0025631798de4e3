/**
 * Linked Roles: the app's metadata records (what a server's role may ask about), each user's
 * role connection written with their own OAuth token, and the comparison Discord makes when a
 * server's linked role asks "at least 1,000 followers".
 */
import type { Answer, Identity } from './oauth.js';
import {
  MetadataType,
  parseConnection,
  parseMetadata,
  type RoleConnection,
  type RoleConnectionMetadata,
  type RoleRequirement,
} from './role-connection-rules.js';
import type { ErrorTree } from './validate.js';

export type { RoleConnection, RoleConnectionMetadata, RoleRequirement } from './role-connection-rules.js';

export interface LinkedRolesHost {
  readonly applicationId: string;
  readonly token: string;
  readonly roleConnectionMetadata: RoleConnectionMetadata[];
  readonly roleConnections: Map<string, RoleConnection>;
  readonly roleConnectionDeleteSupported: boolean;
  now(): number;
}

const DAY_MS = 86_400_000;
const EMPTY: RoleConnection = { platform_name: null, platform_username: null, metadata: {} };
const error = (status: number, code: number, message: string, errors?: ErrorTree): Answer => ({
  status,
  body: errors ? { code, message, errors } : { code, message },
});
const UNAUTHORIZED = error(401, 0, '401: Unauthorized');
const NOT_ALLOWED = error(405, 0, '405: Method Not Allowed');
const INVALID = (errors: ErrorTree) => error(400, 50035, 'Invalid Form Body', errors);

export class LinkedRoles {
  constructor(
    private readonly host: LinkedRolesHost,
    private readonly identify: (authorization: string | undefined) => Identity | undefined,
  ) {}

  /** The answer for a Linked Roles route, or undefined when the request is not one. */
  route(method: string, url: URL, body: unknown, authorization: string | undefined): Answer | undefined {
    const path = url.pathname.replace(/^\/api\/v10/, '');
    const metadataApp = /^\/applications\/(\d+)\/role-connections\/metadata$/.exec(path)?.[1];
    if (metadataApp) return this.#metadata(method, metadataApp, body, authorization);
    const connectionApp = /^\/users\/@me\/applications\/(\d+)\/role-connection$/.exec(path)?.[1];
    if (connectionApp) return this.#connection(method, connectionApp, body, authorization);
    return undefined;
  }

  /** Whether the user's stored values meet a server's linked-role requirement, as Discord decides. */
  meets(userId: string, requirement: RoleRequirement): boolean {
    const record = this.host.roleConnectionMetadata.find((m) => m.key === requirement.key);
    if (!record || record.type !== requirement.type) {
      throw new Error(
        `no metadata record ${requirement.key} of type ${requirement.type}: a server could not ask it`,
      );
    }
    // A user without a value meets no requirement, "not equal" ones included.
    const raw = this.host.roleConnections.get(userId)?.metadata[requirement.key];
    if (raw === undefined) return false;
    const { value } = requirement;
    switch (requirement.type) {
      case MetadataType.IntegerLessThanOrEqual:
        return BigInt(raw) <= BigInt(value);
      case MetadataType.IntegerGreaterThanOrEqual:
        return BigInt(raw) >= BigInt(value);
      case MetadataType.IntegerEqual:
        return BigInt(raw) === BigInt(value);
      case MetadataType.IntegerNotEqual:
        return BigInt(raw) !== BigInt(value);
      // The server sets a number of days and the comparison is on the days since the stored date:
      // Discord's own sample registers "Days since baking their first cookie" as type 6.
      case MetadataType.DatetimeLessThanOrEqual:
        return this.host.now() - Date.parse(raw) <= value * DAY_MS;
      case MetadataType.DatetimeGreaterThanOrEqual:
        return this.host.now() - Date.parse(raw) >= value * DAY_MS;
      case MetadataType.BooleanEqual:
        return Number(raw) === value;
      default:
        return Number(raw) !== value;
    }
  }

  #metadata(method: string, appId: string, body: unknown, authorization: string | undefined): Answer {
    if (authorization !== `Bot ${this.host.token}`) return UNAUTHORIZED;
    if (appId !== this.host.applicationId) return error(403, 50001, 'Missing Access');
    const list = this.host.roleConnectionMetadata;
    if (method === 'GET') return { status: 200, body: list };
    if (method !== 'PUT') return NOT_ALLOWED;
    const parsed = parseMetadata(body);
    if ('errors' in parsed) return INVALID(parsed.errors);
    list.splice(0, list.length, ...parsed.records);
    return { status: 200, body: list };
  }

  #connection(method: string, appId: string, body: unknown, authorization: string | undefined): Answer {
    const identity = this.identify(authorization);
    // Discord answers a token without the route's scope, or one issued to another app, as it
    // answers a bad token: 401, not 403 Missing Access.
    if (!identity || identity.clientId !== appId || !identity.scopes.has('role_connections.write')) {
      return UNAUTHORIZED;
    }
    const connections = this.host.roleConnections;
    if (method === 'GET') return { status: 200, body: connections.get(identity.userId) ?? EMPTY };
    if (method === 'DELETE') {
      // Discord documented DELETE only in 2026; the fault stands for the API as its docs read before.
      if (!this.host.roleConnectionDeleteSupported) return NOT_ALLOWED;
      connections.delete(identity.userId);
      return { status: 204 };
    }
    if (method !== 'PUT') return NOT_ALLOWED;
    const parsed = parseConnection(body, this.host.roleConnectionMetadata);
    if ('errors' in parsed) return INVALID(parsed.errors);
    // PUT replaces the whole connection; an empty one is no connection at all.
    const { connection } = parsed;
    const empty =
      connection.platform_name === null &&
      connection.platform_username === null &&
      !Object.keys(connection.metadata).length;
    if (empty) connections.delete(identity.userId);
    else connections.set(identity.userId, connection);
    return { status: 200, body: connection };
  }
}
