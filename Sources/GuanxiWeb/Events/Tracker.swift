import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import GuanxiWebPlatform

/// Guanxi's own tracker for web pages, served at `/t.js` (no third-party code): a page includes
///
///     <script src="https://crm.example.cn/t.js" data-key="gxw_…" data-consent="required" defer></script>
///
/// and it sends a page view on load, a track for every click on an element with `data-track`
/// (its `data-track-*` attributes as properties), and whatever the page calls through
/// `window.guanxi` (`track`, `page`, `identify` on sign-in, `reset` on sign-out, `consent`). Events
/// are batched and sent to `/v1/batch` with `sendBeacon` (`fetch` with keepalive where there is
/// none) when 20 are waiting, after two seconds, and when the page is hidden. With
/// `data-consent="required"` nothing is stored in the browser or sent until the page calls
/// `guanxi.consent(true)`; `guanxi.consent(false)` forgets the visitor and stops.
enum Tracker {
    static let script = #"""
    (function () {
      "use strict";
      var me = document.currentScript;
      if (!me || window.guanxi) return;
      var key = me.getAttribute("data-key") || "", base = new URL(me.src, location.href).origin;
      var needConsent = me.getAttribute("data-consent") === "required";
      var store = window.localStorage, queue = [], timer = null;
      function get(k) { try { return store.getItem("gx_" + k); } catch (e) { return null; } }
      function set(k, v) { try { if (v === null) store.removeItem("gx_" + k); else store.setItem("gx_" + k, v); } catch (e) {} }
      function uuid() {
        if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
        return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
          var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16);
        });
      }
      function allowed() { return !needConsent || get("consent") === "1"; }
      function anon() { var a = get("aid"); if (!a) { a = uuid(); set("aid", a); } return a; }
      function context() {
        var c = { library: { name: "guanxi-t.js", version: "1" }, userAgent: navigator.userAgent, locale: navigator.language,
                  page: { url: location.href, path: location.pathname, referrer: document.referrer, title: document.title } };
        var q = new URLSearchParams(location.search), camp = {};
        ["source", "medium", "campaign", "term", "content"].forEach(function (k) { var v = q.get("utm_" + k); if (v) camp[k === "campaign" ? "name" : k] = v; });
        if (Object.keys(camp).length) c.campaign = camp;
        return c;
      }
      function push(e) {
        if (!allowed()) return;
        e.messageId = uuid(); e.timestamp = new Date().toISOString(); e.anonymousId = anon(); e.context = context();
        var u = get("uid"); if (u && !e.userId) e.userId = u;
        queue.push(e);
        if (queue.length >= 20) flush(); else if (!timer) timer = setTimeout(flush, 2000);
      }
      function flush() {
        if (timer) { clearTimeout(timer); timer = null; }
        if (!queue.length) return;
        var body = JSON.stringify({ batch: queue.splice(0, 100), sentAt: new Date().toISOString(), writeKey: key }), url = base + "/v1/batch";
        if (!(navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: "text/plain" })))) {
          fetch(url, { method: "POST", body: body, keepalive: true, headers: { "Content-Type": "text/plain" } }).catch(function () {});
        }
        if (queue.length) timer = setTimeout(flush, 0);
      }
      var api = {
        page: function (name, props) { push({ type: "page", name: name || document.title, properties: Object.assign({ url: location.href, path: location.pathname, referrer: document.referrer, title: document.title }, props || {}) }); },
        track: function (event, props) { if (event) push({ type: "track", event: String(event), properties: props || {} }); },
        identify: function (userId, traits) { if (userId && allowed()) set("uid", String(userId)); push({ type: "identify", userId: userId ? String(userId) : undefined, traits: traits || {} }); flush(); },
        reset: function () { flush(); set("uid", null); set("aid", null); },
        consent: function (yes) { if (yes) { set("consent", "1"); if (!sent) { sent = true; api.page(); } } else { queue = []; set("consent", null); set("aid", null); set("uid", null); } },
        flush: flush
      };
      var sent = false;
      window.guanxi = api;
      document.addEventListener("click", function (ev) {
        var el = ev.target && ev.target.closest ? ev.target.closest("[data-track]") : null;
        if (!el) return;
        var props = {};
        for (var i = 0; i < el.attributes.length; i++) {
          var a = el.attributes[i];
          if (a.name.indexOf("data-track-") === 0) props[a.name.slice(11).replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); })] = a.value;
        }
        api.track(el.getAttribute("data-track"), props);
      }, true);
      document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") flush(); });
      window.addEventListener("pagehide", flush);
      if (allowed()) { sent = true; api.page(); }
    })();
    """#

    /// `GET /t.js`: the script, cached for an hour by browsers and proxies.
    static func register(_ router: RouterGroup<AppContext>) {
        let body = ByteBuffer(string: script)
        router.get("/t.js") { _, _ in
            var h = HTTPFields()
            h[.contentType] = "text/javascript; charset=utf-8"
            h[.cacheControl] = "public, max-age=3600"
            h[.accessControlAllowOrigin] = "*"
            return Response(status: .ok, headers: h, body: .init(byteBuffer: body))
        }
    }
}
