/**
 * X's error bodies, in the forms reference/x-api.md records. Hosts in type URIs alternate
 * between api.twitter.com and api.x.com on purpose: clients must match the slug only.
 */
export interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export const problemType = (slug: string, host = 'api.twitter.com') => `https://${host}/2/problems/${slug}`;
export const PROBLEM = 'application/problem+json';

export function invalidRequest(parameter: string, value: string, message: string): Answer {
  return {
    status: 400,
    contentType: PROBLEM,
    body: {
      errors: [{ parameters: { [parameter]: [value] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: problemType('invalid-request'),
    },
  };
}

export function unauthorized(): Answer {
  return {
    status: 401,
    contentType: PROBLEM,
    body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
  };
}

export function forbidden(detail = 'Forbidden'): Answer {
  return {
    status: 403,
    contentType: PROBLEM,
    body: { title: 'Forbidden', type: 'about:blank', status: 403, detail },
  };
}

/** The wrong kind of token: an app Bearer where a user is needed (`needs: 'user'`), or the reverse. */
export function unsupportedAuthentication(needs: 'user' | 'app' = 'user'): Answer {
  return {
    status: 403,
    contentType: PROBLEM,
    body: {
      title: 'Unsupported Authentication',
      detail:
        needs === 'user'
          ? 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].'
          : 'Authenticating with OAuth 2.0 User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].',
      type: problemType('unsupported-authentication', 'api.x.com'),
      status: 403,
    },
  };
}

export function clientNotEnrolled(clientId: string): Answer {
  return {
    status: 403,
    contentType: PROBLEM,
    body: {
      client_id: clientId,
      detail:
        'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
      registration_url: 'https://developer.x.com/en/docs/projects/overview',
      title: 'Client Forbidden',
      required_enrollment: 'Appropriate Level of API Access',
      reason: 'client-not-enrolled',
      type: problemType('client-forbidden'),
    },
  };
}

export function tooManyRequests(style: 'problem' | 'legacy'): Answer {
  if (style === 'legacy')
    return { status: 429, body: { errors: [{ code: 88, message: 'Rate limit exceeded' }] } };
  return {
    status: 429,
    contentType: PROBLEM,
    body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
  };
}

export function serverError(status: number): Answer {
  return {
    status,
    contentType: PROBLEM,
    body:
      status === 503
        ? { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status }
        : { title: 'Internal Server Error', detail: 'Internal Server Error', type: 'about:blank', status },
  };
}

/** One entry of the `errors` array that comes with HTTP 200 (or alone with 404). */
export type ResourceProblem = Record<string, string>;

export function notFoundProblem(parameter: 'id' | 'username', value: string): ResourceProblem {
  return {
    value,
    detail: `Could not find user with ${parameter === 'id' ? 'ids' : 'usernames'}: [${value}].`,
    title: 'Not Found Error',
    resource_type: 'user',
    parameter,
    resource_id: value,
    type: problemType('resource-not-found'),
  };
}

export function suspendedProblem(parameter: 'id' | 'username', value: string): ResourceProblem {
  return {
    value,
    detail: `User has been suspended: [${value}].`,
    title: 'Forbidden',
    resource_type: 'user',
    parameter,
    resource_id: value,
    type: problemType('resource-not-found', 'api.x.com'),
  };
}

export function protectedProblem(id: string): ResourceProblem {
  return {
    value: id,
    detail: `Sorry, you are not authorized to see the user with id: [${id}].`,
    title: 'Authorization Error',
    resource_type: 'user',
    parameter: 'id',
    resource_id: id,
    type: problemType('not-authorized-for-resource'),
  };
}

/** A single missing resource, as HTTP 200 with only `errors`, or as 404 when so configured. */
export function resourceProblem(problem: ResourceProblem, style: '200' | '404'): Answer {
  if (style === '404' && problem.title === 'Not Found Error') {
    return { status: 404, contentType: PROBLEM, body: { ...problem, status: 404, errors: [problem] } };
  }
  return { status: 200, body: { errors: [problem] } };
}

export function oauthError(status: number, error: string, description: string): Answer {
  return { status, body: { error, error_description: description } };
}
