/**
 * POSTs to an Omni capture endpoint with a session token: an image (Buffer) as image/jpeg, any
 * other body as JSON, or nothing. Answers the status and the parsed JSON body.
 */
export async function omniCall(baseUrl: string, token: string, path: string, body?: unknown) {
  const isImage = Buffer.isBuffer(body);
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': isImage ? 'image/jpeg' : 'application/json' } : {}) },
    body: body === undefined ? undefined : isImage ? new Uint8Array(body as Buffer) : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the endpoint answered
  return { status: response.status, body: await response.json() as Record<string, any> };
}
