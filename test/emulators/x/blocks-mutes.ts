/**
 * X's blocks and mutes endpoints (reference/x-api.md, "2026 plan realities"): each account's own
 * block and mute lists, served only to its own user token (`:id` must be the token's user),
 * paged like the follows lists and billed per user returned as block or mute reads; muting and
 * unmuting (`mute.write`), billed per request and safe to repeat. Block writes are Enterprise
 * only: every self-serve app is refused with 403 client-not-enrolled, whatever the settings say.
 */
import type { BillingMeter } from './billing.js';
import type { PageTokens } from './page-tokens.js';
import {
  type Answer,
  clientNotEnrolled,
  forbidden,
  invalidRequest,
  notFoundProblem,
  resourceProblem,
  suspendedProblem,
  unsupportedAuthentication,
} from './problems.js';
import type { Relation } from './relations.js';
import { type ApiRequest, type ApiSettings, checkUserFields, ID } from './users-api.js';
import type { EmuUser, World } from './world.js';

const list = (what: string) => new RegExp(`^/2/users/(?<id>[^/]+)/${what}$`);
const target = (what: string) =>
  new RegExp(`^/2/users/(?<source_user_id>[^/]+)/${what}/(?<target_user_id>[^/]+)$`);

/** Route templates and their paths, for the emulator's route table. */
export const BLOCKS_MUTES_ROUTES: [string, RegExp][] = [
  ['GET /2/users/:id/blocking', list('blocking')],
  ['POST /2/users/:id/blocking', list('blocking')],
  ['DELETE /2/users/:source_user_id/blocking/:target_user_id', target('blocking')],
  ['GET /2/users/:id/muting', list('muting')],
  ['POST /2/users/:id/muting', list('muting')],
  ['DELETE /2/users/:source_user_id/muting/:target_user_id', target('muting')],
];
export const BLOCKS_MUTES_ENDPOINTS: ReadonlySet<string> = new Set(BLOCKS_MUTES_ROUTES.map(([e]) => e));
export const MUTE_WRITE_ENDPOINTS = [
  'POST /2/users/:id/muting',
  'DELETE /2/users/:source_user_id/muting/:target_user_id',
] as const;
const BLOCK_WRITES = new Set([
  'POST /2/users/:id/blocking',
  'DELETE /2/users/:source_user_id/blocking/:target_user_id',
]);

const SCOPES: Record<string, string[]> = {
  'GET /2/users/:id/blocking': ['tweet.read', 'users.read', 'block.read'],
  'GET /2/users/:id/muting': ['tweet.read', 'users.read', 'mute.read'],
  'POST /2/users/:id/muting': ['tweet.read', 'users.read', 'mute.write'],
  'DELETE /2/users/:source_user_id/muting/:target_user_id': ['tweet.read', 'users.read', 'mute.write'],
};

export interface BlocksMutesDeps {
  world: World;
  billing: BillingMeter;
  settings: ApiSettings;
  pages: PageTokens;
  render: (user: EmuUser, fields: string | null) => Record<string, unknown>;
}

export class BlocksMutesApi {
  constructor(private readonly deps: BlocksMutesDeps) {}

  handle(req: ApiRequest): Answer {
    const { endpoint, identity } = req;
    if (BLOCK_WRITES.has(endpoint) || this.deps.settings.notEnrolled.has(endpoint))
      return clientNotEnrolled(identity.appId);
    if (identity.kind === 'app') return unsupportedAuthentication();
    if ((SCOPES[endpoint] ?? []).some((s) => !identity.scopes.has(s))) return forbidden();
    const badFields = checkUserFields(req.query);
    if (badFields) return badFields;
    switch (endpoint) {
      case 'GET /2/users/:id/blocking':
        return this.#list('blocking', req, identity.userId);
      case 'GET /2/users/:id/muting':
        return this.#list('muting', req, identity.userId);
      case 'POST /2/users/:id/muting':
        return this.#mute(req, identity.userId);
      default:
        return this.#unmute(req, identity.userId);
    }
  }

  #list(which: 'blocking' | 'muting', req: ApiRequest, tokenUser: string): Answer {
    const id = req.params.id ?? '';
    if (!ID.test(id))
      return invalidRequest('id', id, `The \`id\` path parameter value [${id}] does not match ^[0-9]{1,19}$`);
    const list = `${which}:${id}`;
    const paging = this.deps.pages.parse(req.query, list);
    if ('status' in paging) return paging;
    // Nobody reads another account's blocks or mutes, whatever their token may do.
    if (id !== tokenUser) return forbidden('You are not permitted to perform this action.');
    const { world, billing, pages } = this.deps;
    const relation = which === 'blocking' ? world.blocks : world.mutes;
    const { shown, meta } = pages.page(world, list, relation.list(id), paging);
    billing.read(
      shown.map((u) => u.id),
      which === 'blocking' ? 'block' : 'mute',
    );
    const fields = req.query.get('user.fields');
    return {
      status: 200,
      body: shown.length ? { data: shown.map((u) => this.deps.render(u, fields)), meta } : { meta },
    };
  }

  #mute(req: ApiRequest, tokenUser: string): Answer {
    const source = req.params.id ?? '';
    const target = (req.json as { target_user_id?: unknown } | undefined)?.target_user_id;
    if (typeof target !== 'string' || !ID.test(target)) {
      return invalidRequest(
        'target_user_id',
        String(target),
        'The `target_user_id` field must be a numeric string id',
      );
    }
    if (source !== tokenUser) return forbidden('You are not permitted to perform this action.');
    if (source === target) return forbidden('You cannot mute yourself.');
    // Billed per request X acts on, the repeats too (the answer is the same).
    this.deps.billing.write('mute');
    const user = this.deps.world.users.get(target);
    if (!user || user.state === 'deactivated') return resourceProblem(notFoundProblem('id', target), '200');
    if (user.state === 'suspended') return resourceProblem(suspendedProblem('id', target), '200');
    this.#mutes.add(source, target);
    return { status: 200, body: { data: { muting: true } } };
  }

  #unmute(req: ApiRequest, tokenUser: string): Answer {
    const source = req.params.source_user_id ?? '';
    const target = req.params.target_user_id ?? '';
    for (const [name, value] of [
      ['source_user_id', source],
      ['target_user_id', target],
    ] as const) {
      if (!ID.test(value))
        return invalidRequest(
          name,
          value,
          `The \`${name}\` path parameter value [${value}] does not match ^[0-9]{1,19}$`,
        );
    }
    if (source !== tokenUser) return forbidden('You are not permitted to perform this action.');
    this.deps.billing.write('unmute');
    this.#mutes.remove(source, target);
    return { status: 200, body: { data: { muting: false } } };
  }

  get #mutes(): Relation {
    return this.deps.world.mutes;
  }
}
