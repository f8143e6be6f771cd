// What an account's username and password must be: checked by the API (setup link, npm run user)
// and said by the setup page before it asks.

/** 2–40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit. */
export const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const minPasswordLength = 8;
