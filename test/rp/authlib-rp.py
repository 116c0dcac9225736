#!/usr/bin/python3
"""A relying party on python3-authlib (Debian), written as an integrator would write one.

Authorization code flow with PKCE S256, the ID token checked with authlib's OIDC claims classes
(signature from the JWKS, iss, aud, exp, nonce, at_hash), /userinfo, and RP-initiated logout.
Used by test/rp/authlib.test.ts.

Environment: VERID_ISSUER, CLIENT_ID, CLIENT_SECRET, PORT.
Routes: /login, /callback, /me, /logout, /logged-out.
"""
import json
import os
import secrets
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oidc.core import CodeIDToken

ISSUER = os.environ['VERID_ISSUER']
CLIENT_ID = os.environ['CLIENT_ID']
CLIENT_SECRET = os.environ['CLIENT_SECRET']
PORT = int(os.environ['PORT'])
BASE = f'http://127.0.0.1:{PORT}'
COOKIE = 'authlib_rp'

metadata = requests.get(f'{ISSUER}/.well-known/openid-configuration', timeout=10).json()
if metadata['issuer'] != ISSUER:
    raise SystemExit(f'discovery names another issuer: {metadata["issuer"]}')

# Keyed by this RP's own cookie: the login in progress, and the signed-in person.
pending = {}
signed_in = {}


def oauth_client(token=None):
    return OAuth2Session(CLIENT_ID, CLIENT_SECRET, scope='openid profile', token=token,
                         redirect_uri=f'{BASE}/callback', code_challenge_method='S256',
                         token_endpoint_auth_method='client_secret_basic')


def verified_id_token(token, nonce):
    keys = JsonWebKey.import_key_set(requests.get(metadata['jwks_uri'], timeout=10).json())
    claims = JsonWebToken(['RS256']).decode(
        token['id_token'], keys, claims_cls=CodeIDToken,
        claims_options={'iss': {'essential': True, 'value': ISSUER}},
        claims_params={'nonce': nonce, 'client_id': CLIENT_ID, 'access_token': token['access_token']})
    claims.validate(leeway=60)
    return claims


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        route = {'/login': self.login, '/callback': self.callback, '/me': self.me,
                 '/logout': self.logout, '/logged-out': self.logged_out}.get(url.path)
        if route is None:
            return self.reply(404, {'error': 'not_found'})
        try:
            route(parse_qs(url.query))
        except Exception as error:  # an RP shows the failure; the test reads it
            self.reply(400, {'error': type(error).__name__, 'message': str(error)})

    def browser(self):
        cookie = SimpleCookie(self.headers.get('cookie', ''))
        return cookie[COOKIE].value if COOKIE in cookie else None

    def login(self, _query):
        browser = secrets.token_urlsafe(16)
        nonce, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
        url, state = oauth_client().create_authorization_url(
            metadata['authorization_endpoint'], nonce=nonce, code_verifier=verifier)
        pending[browser] = {'state': state, 'nonce': nonce, 'verifier': verifier}
        self.redirect(url, f'{COOKIE}={browser}; Path=/; HttpOnly')

    def callback(self, _query):
        login = pending.pop(self.browser(), None)
        if login is None:
            return self.reply(400, {'error': 'no_login_in_progress'})
        client = oauth_client()
        token = client.fetch_token(metadata['token_endpoint'], authorization_response=f'{BASE}{self.path}',
                                   state=login['state'], code_verifier=login['verifier'])
        claims = verified_id_token(token, login['nonce'])
        userinfo = client.get(metadata['userinfo_endpoint'], timeout=10).json()
        if userinfo.get('sub') != claims['sub']:
            raise ValueError('userinfo is about someone else')
        signed_in[self.browser()] = {'id_token': token['id_token'], 'claims': dict(claims), 'userinfo': userinfo}
        print('verified claims:', json.dumps(dict(claims)), flush=True)
        self.reply(200, {'claims': dict(claims), 'userinfo': userinfo})

    def me(self, _query):
        person = signed_in.get(self.browser())
        if person is None:
            return self.reply(401, {'error': 'not_signed_in'})
        self.reply(200, {'claims': person['claims']})

    def logout(self, _query):
        person = signed_in.pop(self.browser(), None)
        if person is None:
            return self.reply(401, {'error': 'not_signed_in'})
        state = secrets.token_urlsafe(16)
        pending[self.browser()] = {'logout_state': state}
        self.redirect(metadata['end_session_endpoint'] + '?' + urlencode({
            'id_token_hint': person['id_token'], 'post_logout_redirect_uri': f'{BASE}/logged-out', 'state': state}))

    def logged_out(self, query):
        expected = pending.pop(self.browser(), {}).get('logout_state')
        if expected is None or query.get('state') != [expected]:
            return self.reply(400, {'error': 'unexpected_logout_state'})
        self.reply(200, {'signed_out': True})

    def redirect(self, location, cookie=None):
        self.send_response(302)
        self.send_header('location', location)
        if cookie:
            self.send_header('set-cookie', cookie)
        self.end_headers()

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('content-type', 'application/json')
        self.send_header('content-length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args):
        pass


server = ThreadingHTTPServer(('127.0.0.1', PORT), Handler)
print(f'listening on {BASE}', flush=True)
server.serve_forever()
