// A relying party on coreos/go-oidc v2 and golang.org/x/oauth2 (Debian
// golang-github-coreos-go-oidc-dev), written as an integrator would write one:
// authorization code flow with PKCE S256, the ID token verified by go-oidc
// (signature from the JWKS, iss, aud, exp) plus nonce (and at_hash when sent), /userinfo,
// and RP-initiated logout. Used by test/rp/go-oidc.test.ts.
//
// Environment: VERID_ISSUER, CLIENT_ID, CLIENT_SECRET, PORT.
// Routes: /login, /callback, /me, /logout, /logged-out.
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"sync"

	"github.com/coreos/go-oidc"
	"golang.org/x/oauth2"
)

const cookieName = "go_oidc_rp"

type login struct{ state, nonce, verifier string }

type person struct {
	idToken string
	claims  map[string]interface{}
}

type relyingParty struct {
	base       string
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	endSession string

	mu       sync.Mutex
	pending  map[string]login  // this RP's cookie → the login in progress
	signedIn map[string]person // this RP's cookie → the signed-in person
	logouts  map[string]string // this RP's cookie → the logout request's state
}

func random() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func reply(w http.ResponseWriter, status int, body interface{}) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func browser(r *http.Request) string {
	if c, err := r.Cookie(cookieName); err == nil {
		return c.Value
	}
	return ""
}

func (rp *relyingParty) login(w http.ResponseWriter, r *http.Request) {
	l := login{state: random(), nonce: random(), verifier: random() + random()}
	id := random()
	rp.mu.Lock()
	rp.pending[id] = l
	rp.mu.Unlock()
	challenge := sha256.Sum256([]byte(l.verifier))
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true})
	http.Redirect(w, r, rp.oauth.AuthCodeURL(l.state, oidc.Nonce(l.nonce),
		oauth2.SetAuthURLParam("code_challenge", base64.RawURLEncoding.EncodeToString(challenge[:])),
		oauth2.SetAuthURLParam("code_challenge_method", "S256")), http.StatusFound)
}

func (rp *relyingParty) callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rp.mu.Lock()
	l, ok := rp.pending[browser(r)]
	delete(rp.pending, browser(r))
	rp.mu.Unlock()
	if !ok || r.URL.Query().Get("state") != l.state {
		reply(w, 400, map[string]string{"error": "unexpected_state"})
		return
	}
	token, err := rp.oauth.Exchange(ctx, r.URL.Query().Get("code"), oauth2.SetAuthURLParam("code_verifier", l.verifier))
	if err != nil {
		reply(w, 400, map[string]string{"error": "token_exchange_failed", "message": err.Error()})
		return
	}
	raw, _ := token.Extra("id_token").(string)
	idToken, err := rp.verifier.Verify(ctx, raw)
	if err == nil && idToken.Nonce != l.nonce {
		err = fmt.Errorf("nonce mismatch")
	}
	// at_hash is optional in the code flow (OIDC Core 3.1.3.8): checked when present.
	if err == nil && idToken.AccessTokenHash != "" {
		err = idToken.VerifyAccessToken(token.AccessToken)
	}
	if err != nil {
		reply(w, 400, map[string]string{"error": "invalid_id_token", "message": err.Error()})
		return
	}
	claims := map[string]interface{}{}
	idToken.Claims(&claims)
	userInfo, err := rp.provider.UserInfo(ctx, oauth2.StaticTokenSource(token))
	if err != nil || userInfo.Subject != idToken.Subject {
		reply(w, 400, map[string]string{"error": "userinfo_failed"})
		return
	}
	userInfoClaims := map[string]interface{}{}
	userInfo.Claims(&userInfoClaims)
	rp.mu.Lock()
	rp.signedIn[browser(r)] = person{idToken: raw, claims: claims}
	rp.mu.Unlock()
	printed, _ := json.Marshal(claims)
	fmt.Printf("verified claims: %s\n", printed)
	reply(w, 200, map[string]interface{}{"claims": claims, "userinfo": userInfoClaims})
}

func (rp *relyingParty) me(w http.ResponseWriter, r *http.Request) {
	rp.mu.Lock()
	p, ok := rp.signedIn[browser(r)]
	rp.mu.Unlock()
	if !ok {
		reply(w, 401, map[string]string{"error": "not_signed_in"})
		return
	}
	reply(w, 200, map[string]interface{}{"claims": p.claims})
}

func (rp *relyingParty) logout(w http.ResponseWriter, r *http.Request) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	p, ok := rp.signedIn[browser(r)]
	if !ok {
		reply(w, 401, map[string]string{"error": "not_signed_in"})
		return
	}
	delete(rp.signedIn, browser(r))
	state := random()
	rp.logouts[browser(r)] = state
	query := url.Values{"id_token_hint": {p.idToken}, "post_logout_redirect_uri": {rp.base + "/logged-out"}, "state": {state}}
	http.Redirect(w, r, rp.endSession+"?"+query.Encode(), http.StatusFound)
}

func (rp *relyingParty) loggedOut(w http.ResponseWriter, r *http.Request) {
	rp.mu.Lock()
	state, ok := rp.logouts[browser(r)]
	delete(rp.logouts, browser(r))
	rp.mu.Unlock()
	if !ok || r.URL.Query().Get("state") != state {
		reply(w, 400, map[string]string{"error": "unexpected_logout_state"})
		return
	}
	reply(w, 200, map[string]bool{"signed_out": true})
}

func main() {
	issuer := os.Getenv("VERID_ISSUER")
	base := "http://127.0.0.1:" + os.Getenv("PORT")
	provider, err := oidc.NewProvider(context.Background(), issuer)
	if err != nil {
		log.Fatal(err)
	}
	// go-oidc v2 reads the standard endpoints; the logout one comes from the same discovery document.
	var discovery struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&discovery); err != nil || discovery.EndSession == "" {
		log.Fatal("discovery has no end_session_endpoint")
	}
	endpoint := provider.Endpoint()
	endpoint.AuthStyle = oauth2.AuthStyleInHeader
	rp := &relyingParty{
		base:       base,
		provider:   provider,
		verifier:   provider.Verifier(&oidc.Config{ClientID: os.Getenv("CLIENT_ID")}),
		endSession: discovery.EndSession,
		oauth: oauth2.Config{
			ClientID: os.Getenv("CLIENT_ID"), ClientSecret: os.Getenv("CLIENT_SECRET"), Endpoint: endpoint,
			RedirectURL: base + "/callback", Scopes: []string{oidc.ScopeOpenID, "profile"},
		},
		pending: map[string]login{}, signedIn: map[string]person{}, logouts: map[string]string{},
	}
	http.HandleFunc("/login", rp.login)
	http.HandleFunc("/callback", rp.callback)
	http.HandleFunc("/me", rp.me)
	http.HandleFunc("/logout", rp.logout)
	http.HandleFunc("/logged-out", rp.loggedOut)
	fmt.Printf("listening on %s\n", base)
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}
