/**
 * A minimal cookie-keeping HTTP user agent for driving the login flow over real HTTP the way a
 * browser does (cookies, 302/303 redirects), without a rendering engine.
 */
export class Browser {
  readonly #cookies = new Map<string, string>();

  #store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))
        || attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.#store(response);
    return response;
  }

  /**
   * Follows redirects until a response that is not a redirect, or until a redirect leaves
   * `origin` (e.g. back to the relying party's redirect_uri), which is returned unfollowed.
   */
  async follow(url: string | URL, init: RequestInit = {}, origin = new URL(url).origin): Promise<{ response: Response; url: URL }> {
    let current = new URL(url);
    let response = await this.request(current, init);
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get('location');
      if (!location) break;
      const next = new URL(location, current);
      if (next.origin !== origin) return { response, url: next };
      current = next;
      response = await this.request(current);
    }
    return { response, url: current };
  }
}
