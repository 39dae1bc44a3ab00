/// The portal's templates: its own layout (the customer's links, the language switch and
/// sign-out; none of the staff application's), phone-first cards instead of wide tables, and
/// every form usable without script.
enum PortalTemplates {
    static let layout = """
    <!doctype html>
    <html lang="{{lang}}">
    <head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
    <title>{{title}} · {{t.portal_title}}</title><link rel="stylesheet" href="/assets/app.css"><script src="/portal/assets/portal.js" defer></script></head>
    <body class="portal">
    <a class="skip" href="#main">{{t.skip_to_content}}</a>
    <header class="bar portal-bar">
      <a class="brand" href="/portal">{{t.portal_title}}</a>
      {{#signedIn}}<nav class="portal-nav" aria-label="{{t.portal_title}}">{{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
      <form action="/portal/sign-out" method="post" class="out"><input type="hidden" name="_csrf" value="{{csrf}}"><button>{{t.sign_out}}</button></form>{{/signedIn}}
      <nav class="langs" aria-label="{{t.language}}">{{#languages}}<a href="/language?lang={{code}}&amp;next={{next}}"{{#current}} aria-current="true"{{/current}}>{{label}}</a>{{/languages}}</nav>
    </header>
    <main id="main" tabindex="-1">{{#who}}<p class="portal-who">{{who}}</p>{{/who}}{{#flash}}<p class="flash {{kind}}" role="alert">{{text}}</p>{{/flash}}{{{content}}}</main>
    </body></html>
    """

    static let signIn = """
    <section class="card narrow">
      <h1>{{t.portal_sign_in}}</h1>
      <p class="hint">{{t.portal_sign_in_hint}}</p>
      <form method="post" action="/portal/sign-in/code" novalidate>
        <input type="hidden" name="workspace" value="{{workspace}}">
        <label class="{{#emailError}}invalid{{/emailError}}">{{t.portal_email}}<input type="email" name="email" value="{{email}}" required autocomplete="email" inputmode="email" autofocus{{#emailError}} aria-invalid="true" aria-describedby="e-email"{{/emailError}}>{{#emailError}}<small class="error" id="e-email">{{emailError}}</small>{{/emailError}}</label>
        <button class="primary">{{t.portal_send_code}}</button>
      </form>
      {{#texts}}<details class="by-phone"{{#openPhone}} open{{/openPhone}}><summary>{{t.portal_use_phone}}</summary>
      <form method="post" action="/portal/sign-in/code" novalidate>
        <input type="hidden" name="workspace" value="{{workspace}}">
        <label class="{{#phoneError}}invalid{{/phoneError}}">{{t.portal_phone}}<input type="tel" name="phone" value="{{phone}}" required autocomplete="tel" inputmode="tel"{{#phoneError}} aria-invalid="true" aria-describedby="e-phone"{{/phoneError}}>{{#phoneError}}<small class="error" id="e-phone">{{phoneError}}</small>{{/phoneError}}</label>
        <button class="primary">{{t.portal_send_text}}</button>
      </form></details>{{/texts}}
    </section>
    """

    static let code = """
    <section class="card narrow">
      <h1>{{t.portal_enter_code}}</h1>
      <p class="hint">{{sent}}</p>
      <form method="post" action="/portal/sign-in" novalidate>
        <input type="hidden" name="email" value="{{email}}"><input type="hidden" name="phone" value="{{phone}}"><input type="hidden" name="workspace" value="{{workspace}}">
        <label>{{t.portal_code}}<input name="code" value="{{code}}" required inputmode="numeric" autocomplete="one-time-code" maxlength="12" autofocus></label>
        <button class="primary">{{t.portal_sign_in}}</button>
      </form>
      <p><a href="/portal/sign-in">{{t.portal_other_email}}</a></p>
    </section>
    """

    static let link = """
    <section class="card narrow">
      <h1>{{t.portal_sign_in}}</h1>
      <form method="post" action="/portal/sign-in/link">
        <input type="hidden" name="token" value="{{token}}">
        <button class="primary">{{t.portal_continue}}</button>
      </form>
    </section>
    """

    static let orders = """
    <section>
      <h1>{{t.portal_orders}}</h1>
      {{#rows}}<a class="portal-item" href="{{href}}"><span class="portal-line"><strong>{{number}}</strong><span class="tag">{{status}}</span></span>
        <span class="portal-line"><span>{{placed}}</span><span>{{total}}</span></span>{{#due}}<span class="portal-line hint">{{t.portal_outstanding}} {{due}}</span>{{/due}}</a>{{/rows}}
      {{^rows}}<p class="empty">{{t.portal_no_orders}}</p>{{/rows}}
    </section>
    """

    static let order = """
    <section>
      <h1>{{t.portal_order}} {{number}}</h1>
      <p class="meta"><span class="tag">{{status}}</span> {{placed}}</p>
      <dl class="facts"><div><dt>{{t.portal_total}}</dt><dd>{{total}}</dd></div><div><dt>{{t.portal_paid}}</dt><dd>{{paid}}</dd></div>
        <div><dt>{{t.portal_outstanding}}</dt><dd>{{outstanding}}</dd></div></dl>
      <h2>{{t.portal_items}}</h2>
      <ul class="portal-list">{{#lines}}<li><span class="portal-line"><span>{{name}}</span><span>{{total}}</span></span><span class="hint">{{quantity}} × {{price}}</span></li>{{/lines}}</ul>
      <h2>{{t.portal_shipments}}</h2>
      <ul class="portal-list">{{#shipments}}<li><span class="portal-line"><strong>{{carrier}}</strong><span>{{shipped}}</span></span>{{#tracking}}<span>{{t.portal_tracking}} <code class="portal-code">{{tracking}}</code></span>{{/tracking}}{{#delivered}}<span class="hint">{{t.portal_delivered}} {{delivered}}</span>{{/delivered}}</li>{{/shipments}}</ul>
      {{^shipments}}<p class="empty">{{t.portal_no_shipments}}</p>{{/shipments}}
      <h2>{{t.portal_payments}}</h2>
      <ul class="portal-list">{{#payments}}<li><span class="portal-line"><span>{{kind}}</span><span>{{amount}}</span></span><span class="hint">{{when}}{{#method}} · {{method}}{{/method}}</span></li>{{/payments}}</ul>
      {{^payments}}<p class="empty">{{t.portal_no_payments}}</p>{{/payments}}
      {{#hasPlan}}<h2>{{t.portal_plan}}</h2>
      <ul class="portal-list">{{#plan}}<li><span class="portal-line"><span>{{due}}</span><span>{{amount}}</span></span><span class="hint{{#overdue}} error{{/overdue}}">{{state}}</span></li>{{/plan}}</ul>{{/hasPlan}}
      <p><a class="button" href="/portal/requests/new?order_id={{id}}">{{t.portal_ask_about_order}}</a></p>
    </section>
    """

    static let quotes = """
    <section>
      <h1>{{t.portal_quotes}}</h1>
      {{#rows}}<a class="portal-item" href="{{href}}"><span class="portal-line"><strong>{{number}}</strong><span class="tag">{{status}}</span></span>
        <span class="portal-line"><span>{{title}}</span><span>{{total}}</span></span>{{#valid}}<span class="hint">{{t.portal_valid_until}} {{valid}}</span>{{/valid}}</a>{{/rows}}
      {{^rows}}<p class="empty">{{t.portal_no_quotes}}</p>{{/rows}}
    </section>
    """

    static let quote = """
    <section>
      <h1>{{number}} · {{title}}</h1>
      <p class="meta"><span class="tag">{{status}}</span>{{#valid}} {{t.portal_valid_until}} {{valid}}{{/valid}}</p>
      {{#message}}<p class="portal-body">{{message}}</p>{{/message}}
      <ul class="portal-list">{{#lines}}<li><span class="portal-line"><span>{{name}}</span><span>{{total}}</span></span><span class="hint">{{quantity}} × {{price}}</span></li>{{/lines}}</ul>
      <dl class="facts"><div><dt>{{t.portal_total}}</dt><dd>{{total}}</dd></div></dl>
      {{#terms}}<p class="hint portal-body">{{terms}}</p>{{/terms}}
      {{#orderHref}}<p><a class="button" href="{{orderHref}}">{{t.portal_see_order}}</a></p>{{/orderHref}}
      {{#canAccept}}<form method="post" action="{{acceptHref}}" class="actions"><input type="hidden" name="_csrf" value="{{csrf}}"><button class="primary">{{t.portal_accept}}</button></form>{{/canAccept}}
      {{#open}}<form method="post" action="{{askHref}}" class="card" novalidate><input type="hidden" name="_csrf" value="{{csrf}}">
        <h2>{{t.portal_ask_question}}</h2>
        <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.portal_question}}<textarea name="body" rows="4" maxlength="50000" required>{{body}}</textarea>{{#bodyError}}<small class="error">{{bodyError}}</small>{{/bodyError}}</label>
        <button>{{t.portal_send}}</button></form>{{/open}}
    </section>
    """

    static let requests = """
    <section>
      <div class="head"><h1>{{t.portal_requests}}</h1><a class="button primary" href="/portal/requests/new">{{t.portal_new_request}}</a></div>
      {{#rows}}<a class="portal-item" href="{{href}}"><span class="portal-line"><strong>#{{number}}</strong><span class="tag">{{status}}</span></span>
        <span>{{subject}}</span><span class="hint">{{type}} · {{created}}</span></a>{{/rows}}
      {{^rows}}<p class="empty">{{t.portal_no_requests}}</p>{{/rows}}
    </section>
    """

    static let newRequest = """
    <section class="card">
      <h1>{{t.portal_new_request}}</h1>
      <form method="post" action="/portal/requests" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="order_id" value="{{orderID}}">
        {{#orderNumber}}<p class="hint">{{t.portal_about_order}} {{orderNumber}}</p>{{/orderNumber}}
        <label class="{{#subjectError}}invalid{{/subjectError}}">{{t.portal_subject}}<input name="subject" value="{{subject}}" required maxlength="200" autocomplete="off" data-kb-subject>{{#subjectError}}<small class="error">{{subjectError}}</small>{{/subjectError}}</label>
        <div class="kb-suggest" data-kb-suggest{{^suggestions}} hidden{{/suggestions}} aria-live="polite"><p>{{t.portal_kb_suggested}}</p><ul>{{#suggestions}}<li><a href="{{href}}" target="_blank" rel="noopener">{{title}}</a></li>{{/suggestions}}</ul></div>
        <label class="{{#typeError}}invalid{{/typeError}}">{{t.portal_type}}<select name="type">{{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/types}}</select>{{#typeError}}<small class="error">{{typeError}}</small>{{/typeError}}</label>
        <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.portal_body}}<textarea name="body" rows="6" maxlength="50000" required>{{body}}</textarea>{{#bodyError}}<small class="error">{{bodyError}}</small>{{/bodyError}}</label>
        <label>{{t.portal_attachments}}<input type="file" name="attachments" multiple></label>
        {{#fileErrors}}<small class="error">{{.}}</small>{{/fileErrors}}
        <p class="hint">{{t.portal_attachments_hint}}</p>
        <button class="primary">{{t.portal_submit}}</button>
      </form>
      <p><a href="/portal/kb">{{t.portal_kb_search_first}}</a></p>
    </section>
    """

    static let kb = """
    <section>
      <h1>{{t.portal_kb}}</h1>
      <form method="get" action="/portal/kb" role="search" class="portal-search"><label>{{t.portal_kb_search}}<input type="search" name="q" value="{{q}}" maxlength="100"></label><button>{{t.portal_kb_search}}</button></form>
      {{#rows}}<a class="portal-item" href="{{href}}" lang="{{lang}}"><strong>{{title}}</strong><span class="hint">{{category}}</span><span>{{excerpt}}</span></a>{{/rows}}
      {{^rows}}<p class="empty">{{t.portal_kb_none}}</p>{{/rows}}
      {{#nextHref}}<p><a class="button" href="{{nextHref}}">{{t.next_page}}</a></p>{{/nextHref}}
    </section>
    """

    static let article = """
    <article class="card" lang="{{lang}}"><p class="hint">{{category}}</p><h1>{{title}}</h1><div class="portal-body">{{body}}</div></article>
    <p><a class="button" href="/portal/kb">{{t.portal_kb}}</a> <a class="button" href="/portal/requests/new">{{t.portal_still_need_help}}</a></p>
    """

    static let request = """
    <section>
      <h1>#{{number}} {{subject}}</h1>
      <p class="meta"><span class="tag">{{status}}</span> {{type}} · {{created}}</p>
      <ol class="portal-thread">{{#messages}}<li class="{{side}}"><span class="hint">{{who}} · {{when}}</span><p class="portal-body">{{body}}</p>
        {{#files}}<a href="{{href}}" download>{{name}}</a> <span class="hint">{{size}}</span> {{/files}}</li>{{/messages}}</ol>
      {{#rate}}<form method="post" action="{{rateHref}}" class="card" novalidate><input type="hidden" name="_csrf" value="{{csrf}}">
        <fieldset class="{{#ratingError}}invalid{{/ratingError}}"><legend>{{t.survey_stars}}</legend>
          {{#stars}}<label class="choice"><input type="radio" name="rating" value="{{value}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/stars}}
          {{#ratingError}}<small class="error">{{ratingError}}</small>{{/ratingError}}</fieldset>
        <label>{{t.survey_comment}}<textarea name="comment" rows="3" maxlength="2000">{{comment}}</textarea></label>
        <button class="primary">{{t.survey_submit}}</button></form>{{/rate}}
      {{#rated}}<p class="card rated">★ {{rated}}</p>{{/rated}}
      <form method="post" action="{{replyHref}}" enctype="multipart/form-data" class="card" novalidate><input type="hidden" name="_csrf" value="{{csrf}}">
        <label class="{{#bodyError}}invalid{{/bodyError}}">{{t.portal_reply}}<textarea name="body" rows="4" maxlength="50000" required>{{body}}</textarea>{{#bodyError}}<small class="error">{{bodyError}}</small>{{/bodyError}}</label>
        <label>{{t.portal_attachments}}<input type="file" name="attachments" multiple></label>
        {{#fileErrors}}<small class="error">{{.}}</small>{{/fileErrors}}
        <button class="primary">{{t.portal_send}}</button></form>
    </section>
    """

    static let details = """
    <section class="card">
      <h1>{{t.portal_details}}</h1>
      <form method="post" action="/portal/details" novalidate>
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
        <label class="{{#nameError}}invalid{{/nameError}}">{{t.portal_name}}<input name="name" value="{{name}}" required maxlength="200">{{#nameError}}<small class="error">{{nameError}}</small>{{/nameError}}</label>
        <p class="hint">{{t.portal_email}} {{emails}}</p>
        <label class="{{#phonesError}}invalid{{/phonesError}}">{{t.portal_phones}}<input type="tel" name="phones" value="{{phones}}" inputmode="tel" autocomplete="tel">{{#phonesError}}<small class="error">{{phonesError}}</small>{{/phonesError}}</label>
        <fieldset><legend>{{t.portal_consent}}</legend>
          {{#consent}}<label class="choice"><input type="checkbox" name="consent_{{channel}}" value="granted"{{#granted}} checked{{/granted}}> {{label}}</label>{{/consent}}</fieldset>
        <label>{{t.portal_preferred}}<select name="preferred_channel"><option value="">{{t.portal_no_preference}}</option>{{#channels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/channels}}</select></label>
        <button class="primary">{{t.portal_save}}</button>
      </form>
    </section>
    """

    static let notice = """
    <section class="card narrow"><p>{{text}}</p><p><a class="button" href="{{back}}">{{t.portal_back}}</a></p></section>
    """

    static let all: [String: String] = [
        "portal_layout": layout, "portal_sign_in": signIn, "portal_code": code, "portal_link": link, "portal_orders": orders,
        "portal_order": order, "portal_quotes": quotes, "portal_quote": quote, "portal_requests": requests,
        "portal_new_request": newRequest, "portal_request": request, "portal_details": details, "portal_notice": notice,
        "portal_kb": kb, "portal_article": article,
    ]

    /// Phone first: one column of cards, nothing wider than the screen (long numbers and words break).
    static let css = """
    .portal main{max-width:46rem}
    .by-phone{margin-top:1rem}.by-phone summary{cursor:pointer;padding:.4rem 0}
    .portal-bar{gap:.4rem .8rem}
    .portal-nav{display:flex;flex-wrap:wrap;gap:.2rem .8rem;flex:1 1 auto}
    .portal-nav a{text-decoration:none;color:var(--ink);padding:.3rem 0}
    .portal-nav a[aria-current]{font-weight:700;border-bottom:2px solid var(--brand)}
    .portal-who{color:var(--muted);margin:0 0 .5rem;font-size:.9rem;overflow-wrap:anywhere}
    .portal-item{display:flex;flex-direction:column;gap:.15rem;background:#fff;border:1px solid var(--line);border-radius:.6rem;padding:.7rem .8rem;margin:.5rem 0;color:var(--ink);text-decoration:none;overflow-wrap:anywhere}
    .portal-item:hover,.portal-item:focus{border-color:#0b57d0}
    .portal-line{display:flex;justify-content:space-between;gap:.6rem;flex-wrap:wrap}
    .portal-list{list-style:none;padding:0;margin:0}
    .portal-list li{display:flex;flex-direction:column;background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .7rem;margin:.35rem 0;overflow-wrap:anywhere}
    .portal-code{font-size:1rem;user-select:all;overflow-wrap:anywhere}
    .portal-body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0}
    .portal-thread{list-style:none;padding:0;margin:0}
    .portal-thread li{background:#fff;border:1px solid var(--line);border-radius:.6rem;padding:.6rem .8rem;margin:.5rem 0;overflow-wrap:anywhere}
    .portal-thread li.mine{background:#eef4ff;margin-left:1.5rem}
    .portal-thread li.theirs{margin-right:1.5rem}
    .portal fieldset{border:1px solid var(--line);border-radius:.5rem;margin:.6rem 0;padding:.4rem .7rem}
    .portal .choice{display:flex;gap:.5rem;align-items:center;color:var(--ink)}
    .portal .choice input{width:auto;display:inline-block;margin:0}
    .portal .facts{grid-template-columns:repeat(auto-fill,minmax(9rem,1fr))}
    .kb-suggest{background:#f3f7ff;border:1px solid #c9d8f5;border-radius:.5rem;padding:.3rem .8rem;margin:.4rem 0}
    .kb-suggest p{margin:.2rem 0;color:var(--muted);font-size:.9rem}
    .kb-suggest ul{margin:.2rem 0 .4rem;padding-left:1.1rem}
    .portal-search{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}
    .portal-search label{flex:1 1 12rem;margin:0}
    """
}
