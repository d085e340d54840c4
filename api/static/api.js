// JSON client for /api/v1: bearer token from localStorage, errors as ApiError.
import { t } from './i18n.js';

const TOKEN_KEY = 'graphbrm.token';
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

export const getToken = () => localStorage.getItem(TOKEN_KEY);
export const setToken = (token) => localStorage.setItem(TOKEN_KEY, token);
export const clearToken = () => localStorage.removeItem(TOKEN_KEY);
export const setUnauthorizedHandler = (fn) => { onUnauthorized = fn; };

/** Take a sign-in link's `#token=…` into storage and strip it from the address bar. */
export function takeTokenFromHash() {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match) return false;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#/accounts`);
  return true;
}

/** Call the API; `query` values that are null or '' are left out. */
export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v != null && v !== '') url.searchParams.set(k, String(v));
  }
  const headers = { Accept: 'application/json', Authorization: `Bearer ${getToken() || ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method, headers, credentials: 'omit', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, t('err.network'));
  }
  const data = await readJson(res);
  if (res.status === 401) {
    clearToken();
    onUnauthorized();
    throw new ApiError(401, data?.detail ?? t('signin.expired'));
  }
  if (!res.ok) throw new ApiError(res.status, data?.detail ?? null);
  return data;
}

async function readJson(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 300) };
  }
}

/** Human-readable lines for an error; FastAPI's detail may be a string or a list of {loc, msg}. */
export function errorLines(err) {
  if (!(err instanceof ApiError)) return [String(err?.message || err)];
  const lines = [];
  if (err.status === 404) lines.push(t('err.notfound'));
  else if (err.status === 403) lines.push(t('err.forbidden'));
  const d = err.detail;
  if (Array.isArray(d)) {
    for (const item of d) lines.push(describeItem(item));
  } else if (typeof d === 'string' && d) {
    if (!lines.length || d !== 'Not Found') lines.push(d);
  } else if (d && typeof d === 'object') {
    lines.push(JSON.stringify(d));
  }
  if (!lines.length) lines.push(t('err.status', { status: err.status }));
  return lines;
}

function describeItem(item) {
  if (!item || typeof item !== 'object') return String(item);
  const where = (item.loc || []).filter((p) => p !== 'body' && p !== 'query').join('.');
  const msg = item.msg ?? JSON.stringify(item);
  return where ? `${where}: ${msg}` : msg;
}

export const enc = encodeURIComponent;
