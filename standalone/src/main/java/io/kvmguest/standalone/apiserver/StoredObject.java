package io.kvmguest.standalone.apiserver;

/** One object as persisted: its REST path (e.g. /api/v1/namespaces/default/secrets/vnc) and its JSON. */
record StoredObject(String path, String json) {
}
