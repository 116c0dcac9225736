/** A SCIM client as Okta's and Entra's provisioning act: a static bearer token, application/scim+json. */
export function scimClient(baseUrl: string, bearer: string) {
  return async function scim(method: string, path: string, body?: unknown, token = bearer) {
    const response = await fetch(`${baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: (raw ? JSON.parse(raw) : null) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
}
