// Loaded with NODE_OPTIONS=--import before `jco run`: jco's preview2-shim
// starts without preopens; WITGO_SHIM names its filesystem module and
// WITGO_PREOPEN_DATA the host directory preopened as /data.
const shim = await import(process.env.WITGO_SHIM);
shim._setPreopens({ '/data': process.env.WITGO_PREOPEN_DATA });
