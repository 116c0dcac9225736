#!/bin/sh
# The application behind mod_auth_openidc: lists who Apache says is signed in (REMOTE_USER and
# the OIDC_CLAIM_* variables the module sets from verid's ID token and userinfo), one per line.
printf 'Content-Type: text/plain\n\n'
env | grep -E '^(REMOTE_USER|OIDC_CLAIM_[a-z_]+)=' | sort
