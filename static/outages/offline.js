// Registers the portal's service worker, which keeps the playbooks, Appendix 1, the
// phone list and the emergency binder readable on this device without network.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
}
