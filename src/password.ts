// gatehouse-auth/password: hashPassword, verifyPassword and needsRehash for the credentials provider (scrypt, parameters stored with each hash).
export { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './core/password.js';
