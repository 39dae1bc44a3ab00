/// The stylesheet and the one small script, served from the binary (no CDN, no npm).
package enum Assets {
    package static let css = """
    :root{--ink:#1d2430;--muted:#5b6676;--line:#dde2ea;--bg:#f6f7f9;--brand:#b3261e;--brand-ink:#fff;--ok:#1e6b3a;--bad:#b3261e}
    *{box-sizing:border-box}
    body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}
    :lang(zh-Hant) body,body:lang(zh-Hant){font-family:system-ui,"Noto Sans CJK TC","Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif}
    a{color:#0b57d0}
    .bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
    .brand{font-weight:700;color:var(--brand);text-decoration:none;font-size:1.1rem}
    .search{flex:1 1 16rem;position:relative;margin:0}
    .search input{width:100%}
    .suggest{position:absolute;left:0;right:0;top:100%;margin:.2rem 0 0;padding:0;list-style:none;background:#fff;border:1px solid var(--line);border-radius:.4rem;box-shadow:0 6px 18px rgba(0,0,0,.08)}
    .suggest a{display:block;padding:.45rem .7rem;text-decoration:none;color:var(--ink)}
    .suggest a:hover,.suggest a:focus{background:#e8eefc}
    .suggest small{color:var(--muted);margin-left:.4rem}
    .out{margin:0}
    .langs a{margin-left:.5rem;color:var(--muted);text-decoration:none;font-size:.9rem}
    .langs a[aria-current]{color:var(--ink);font-weight:600}
    main{max-width:72rem;margin:0 auto;padding:1rem}
    h1{font-size:1.4rem;margin:.2rem 0 .8rem}
    h2{font-size:1.1rem;margin:1.2rem 0 .6rem}
    .head{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}
    .head>span{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
    .card{background:#fff;border:1px solid var(--line);border-radius:.6rem;padding:1rem;margin:1rem 0}
    .narrow{max-width:24rem;margin:3rem auto}
    label{display:block;margin:.5rem 0;color:var(--muted);font-size:.9rem}
    input,select,textarea{display:block;width:100%;margin-top:.2rem;padding:.5rem .6rem;font:inherit;color:var(--ink);border:1px solid #c4ccd8;border-radius:.4rem;background:#fff}
    input:not([type=checkbox]):not([type=radio]),select{height:2.5rem}
    :focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
    main:focus{outline:none}
    ::placeholder{color:#6b7585;opacity:1}
    .skip{position:absolute;left:.5rem;top:-3rem;z-index:3;background:#fff;padding:.5rem .8rem;border:2px solid #0b57d0;border-radius:.4rem}
    .skip:focus{top:.5rem}
    button,.button{display:inline-block;padding:.5rem .9rem;font:inherit;border:1px solid #c4ccd8;border-radius:.4rem;background:#fff;color:var(--ink);cursor:pointer;text-decoration:none;min-height:2.5rem}
    .primary{background:var(--brand);border-color:var(--brand);color:var(--brand-ink)}
    .filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin-bottom:.8rem}
    .filters label{margin:0;min-width:9rem}
    table.list{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line);border-radius:.6rem;overflow:hidden}
    .list th,.list td{text-align:left;padding:.55rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}
    .list th{font-size:.85rem;color:var(--muted);font-weight:600;background:#fafbfc}
    .tag{display:inline-block;padding:0 .45rem;border-radius:1rem;background:#eef1f6;color:var(--muted);font-size:.8rem;white-space:nowrap}
    .meta{color:var(--muted);margin-top:-.5rem}
    .head+.meta{margin-top:0}
    .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.4rem 1rem;margin:0}
    .facts div{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .7rem}
    .facts dt{font-size:.8rem;color:var(--muted)}
    .facts dd{margin:0;word-break:break-word}
    .activity{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:0 1rem;align-items:end}
    .activity .full{grid-column:1/-1}
    .timeline{list-style:none;padding:0;margin:0}
    .timeline li{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.55rem .7rem;margin:.4rem 0}
    .timeline time{color:var(--muted);font-size:.85rem;margin-right:.4rem}
    .timeline p{margin:.3rem 0 0;white-space:pre-wrap}
    .flash{padding:.6rem .8rem;border-radius:.4rem;background:#fff4e5;border:1px solid #f0c36d}
    .flash.bad{background:#fdecea;border-color:#f1a9a0}
    .flash.ok{background:#e8f5ec;border-color:#9fd3b0}
    .invalid input{border-color:var(--bad)}
    .error{color:var(--bad)}
    .empty{color:var(--muted)}
    .reveal{margin:.6rem 0;color:var(--muted)}
    .actions{margin-top:1rem}
    .hint{color:var(--muted)}
    .views{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:0 0 .6rem}
    .view{display:inline-flex;align-items:center;border:1px solid var(--line);border-radius:1rem;background:#fff;padding:0 .2rem 0 .7rem}
    .view a{text-decoration:none}
    .view a[aria-current]{font-weight:600;color:var(--ink)}
    .view form{margin:0}
    .view button{border:0;background:none;min-height:auto;padding:.2rem .45rem;color:var(--muted)}
    .save-view{display:flex;gap:.4rem;margin:0}
    .save-view input{margin:0;width:11rem}
    .bulk{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.2rem 0 .6rem}
    .bulk label{margin:0;min-width:9rem}
    .list input[type=checkbox]{width:auto;margin:0}
    .bulk-form .list th:first-child,.bulk-form .list td:first-child{width:2.4rem}
    .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
    .related{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center}
    .merge td,.merge th{vertical-align:middle}
    .choice{display:flex;gap:.4rem;align-items:center;color:var(--ink);margin:0}
    .choice input{width:auto;margin:0}
    form.flash{display:flex;gap:.8rem;align-items:center}
    .tabs{display:flex;flex-wrap:wrap;gap:.3rem;margin:0 0 1rem;border-bottom:1px solid var(--line)}
    .tabs a{padding:.45rem .8rem;text-decoration:none;color:var(--muted);border-bottom:2px solid transparent}
    .tabs a[aria-current]{color:var(--ink);border-bottom-color:var(--brand);font-weight:600}
    .main-nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem}
    .main-nav a{color:var(--muted);text-decoration:none}
    .main-nav a[aria-current=page]{color:var(--ink);font-weight:600;box-shadow:inset 0 -2px 0 var(--brand)}
    .tag.bad{background:#fdecea;color:#8c1d16}
    .hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
    .actions-row{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:0 1rem}
    .stack{display:flex;flex-direction:column}
    .stack h2{margin-top:0}
    .stack button{margin-top:auto}
    body.bare{background:#fff}
    .board{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(13rem,1fr);gap:.8rem;overflow-x:auto;padding-bottom:.5rem}
    .column{background:#eef1f6;border-radius:.6rem;padding:.6rem;min-height:8rem}
    .column.closed{background:#f3f4f6}
    .column.over{outline:3px dashed #0b57d0}
    .column h2{margin:.1rem 0 .3rem;font-size:1rem}
    .column h2 small,.sum small{color:var(--muted);font-weight:400}
    .sum{margin:0 0 .5rem;font-size:.85rem;color:var(--muted)}
    .cards{list-style:none;margin:0;padding:0}
    .deal-card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .6rem;margin:0 0 .5rem;display:flex;flex-direction:column;gap:.15rem;cursor:grab}
    .deal-card.idle{border-color:#f1a9a0}
    .deal-card .who,.deal-card time{color:var(--muted);font-size:.85rem}
    .deal-card .move{display:flex;gap:.3rem;margin-top:.3rem}
    .deal-card .move select{margin:0;height:2.2rem;padding:.2rem .4rem;font-size:.85rem}
    .deal-card .move button{min-height:2.2rem;padding:.2rem .6rem;font-size:.85rem}
    .inline{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:0 1rem;align-items:end}
    .inline h2{grid-column:1/-1;margin-top:0}
    td form{display:flex;gap:.4rem;align-items:center;margin:0}
    td form select,td form input{width:auto;margin:0;max-width:14rem}
    button,.button{white-space:nowrap}
    code{font-family:ui-monospace,monospace;background:#eef1f6;padding:.1rem .3rem;border-radius:.3rem;word-break:break-all}
    h1 small{font-size:.9rem;color:var(--muted);font-weight:400;margin-left:.5rem}
    .scroll{overflow-x:auto}
    .scroll .list td:not(:last-child){white-space:nowrap}
    .sample span{display:inline-block;margin-right:.6rem;color:var(--muted);max-width:12rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;vertical-align:bottom}
    .progress{font-weight:600}
    .main-nav .count{display:inline-block;min-width:1.2rem;padding:0 .35rem;border-radius:1rem;background:var(--bad);color:#fff;font-size:.75rem;text-align:center;line-height:1.2rem}
    .tasks{list-style:none;margin:0;padding:0}
    .task{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:center;justify-content:space-between;padding:.5rem 0;border-bottom:1px solid var(--line)}
    .task:last-child{border-bottom:0}
    .task .what{flex:1 1 12rem;min-width:0;word-break:break-word}
    .task small{display:block;color:var(--muted)}
    .task form{margin:0}
    .geo{border:1px solid var(--line);border-radius:.5rem;padding:.5rem .8rem;margin:.5rem 0;display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:0 .8rem;align-items:end}
    .geo legend{padding:0 .3rem;color:var(--muted)}
    .task-moves{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
    .task-moves form{margin:0}
    @media (max-width:640px){.wide{display:none}.bar{padding:.5rem}.langs{order:3}main{padding:.6rem}.facts{grid-template-columns:1fr}}
    /* lists: the count, sortable headers, paging both ways; filters and bulk actions fold away behind
       a summary on phones (a <details>, no script) and stay open on wide screens where the browser can */
    p.count{margin:0 0 .6rem;color:var(--muted);font-size:.9rem}
    .list th a{color:inherit;text-decoration:none}
    .list th[aria-sort=ascending] a,.list th[aria-sort=descending] a{color:var(--ink)}
    .pager{display:flex;gap:.6rem;margin:1rem 0}
    .sort-choices{display:none}
    tr:target>td,tr:target>th,section:target{background:#fff6d5}
    @media (max-width:640px){.sort-choices{display:flex;flex-wrap:wrap;gap:.3rem .5rem;align-items:center;margin:0 0 .5rem;font-size:.9rem}.sort-choices>span{color:var(--muted)}.sort-choices a{padding:.3rem .6rem;border:1px solid var(--line);border-radius:1rem;text-decoration:none;color:inherit;background:#fff}.sort-choices a[aria-current]{border-color:var(--ink);font-weight:600}}
    details.tools{margin:0 0 .6rem}
    .list.customers th,.list.customers td:not(:nth-child(2)){white-space:nowrap}
    @media (max-width:640px){.list.customers th,.list.customers td{padding:.45rem .4rem}.head h1{margin-bottom:.3rem}}
    details.tools>summary{display:inline-block;cursor:pointer;padding:.45rem .9rem;border:1px solid #c4ccd8;border-radius:.4rem;background:#fff;min-height:2.5rem}
    details.tools[open]>summary{margin-bottom:.6rem}
    @media (min-width:900px){@supports selector(::details-content){details.tools>summary{display:none}details.tools::details-content{content-visibility:visible}}}
    .role-grid .grid th[scope=row]{font-weight:600;color:var(--ink);background:#fff;white-space:nowrap}
    .role-grid .grid td{white-space:nowrap}
    .role-grid .grid select{height:2.2rem;padding:.2rem .3rem;min-width:6.5rem;margin:0}
    .role-grid .none{color:var(--muted)}
    .also-found h3{font-size:.95rem;margin:.6rem 0 .3rem}
    /* a table too wide for a phone becomes one card per row, each value beside its column's name */
    @media (max-width:640px){
      table.stack{border:0;background:none}
      table.stack thead{display:none}
      table.stack tr{display:block;background:#fff;border:1px solid var(--line);border-radius:.5rem;margin:0 0 .5rem;padding:.3rem .7rem}
      .list.stack td,.scroll .list.stack td{display:flex;justify-content:space-between;align-items:baseline;gap:.8rem;border:0;padding:.2rem 0;white-space:normal;text-align:right;overflow-wrap:anywhere}
      .list.stack td::before{content:attr(data-label);color:var(--muted);font-size:.85rem;text-align:left;flex:none}
      .list.stack td.wide{display:none}
    }
    /* the header on a phone: brand and search on one line, the sections on one line that scrolls sideways */
    @media (max-width:640px){
      .bar{position:static;gap:.35rem .6rem;padding:.4rem .5rem}
      .brand{font-size:1rem}
      .search{flex:1 1 9rem;order:1}
      .out{order:2}.out button{min-height:2.2rem;padding:.25rem .6rem}
      .langs{order:2}.langs a{margin-left:.35rem}
      .sections{order:3;flex:1 1 100%;scrollbar-width:thin}
      .main-nav{flex-wrap:nowrap;gap:0 .9rem;padding-bottom:.15rem}
      .main-nav a{white-space:nowrap;padding:.3rem 0}
    }
    /* charts drawn on the server (Chart), report figures and the month switch */
    .months{display:flex;gap:.6rem;align-items:center}
    .months a{text-decoration:none;font-size:1.3rem;padding:0 .4rem}
    .kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem;margin:0 0 1rem}
    .kpis div{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .7rem}
    .kpis dt{font-size:.8rem;color:var(--muted)}
    .kpis dd{margin:.15rem 0 0;font-size:1.25rem;font-weight:600}
    .chart-card{margin:0 0 1rem}
    .chart-card figcaption{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.3rem}
    .chart-card h2{margin:0;font-size:1.05rem}
    .chart-card figcaption+.meta{margin-top:0}
    .chart{display:block;width:100%;height:auto;margin:.4rem 0}
    .chart text{font-size:12px;fill:var(--ink)}
    .chart .chart-tick{fill:var(--muted)}
    .chart .chart-grid{stroke:var(--line);stroke-width:1}
    .chart .chart-line{fill:none;stroke-width:2}
    .chart .chart-s0{fill:#3b6fd4;stroke:#3b6fd4}
    .chart .chart-s1{fill:#e08a1e;stroke:#e08a1e}
    .chart .chart-s2{fill:#2f9e6b;stroke:#2f9e6b}
    .chart .chart-s3{fill:#b04fb0;stroke:#b04fb0}
    .chart .chart-s4{fill:#c9453c;stroke:#c9453c}
    .chart .chart-s5{fill:#6b7785;stroke:#6b7785}
    .chart polyline.chart-line{fill:none}
    .chart .chart-h0{fill:#eef3fc}.chart .chart-h1{fill:#cddcf6}.chart .chart-h2{fill:#a5c0ee}
    .chart .chart-h3{fill:#7399e0}.chart .chart-h4{fill:#4a78d2}.chart .chart-h5{fill:#2553b0}
    .chart .chart-cell{font-size:10px}.chart .chart-c4,.chart .chart-c5{fill:#fff}
    .scroll{overflow-x:auto}
    .numbers td{white-space:nowrap}
    """

    /// Search as you type: asks the API (same session cookie) and lists links; the form still works without it.
    package static let js = """
    (function(){
      var refresh=document.querySelector('[data-refresh]');
      if(refresh) setTimeout(function(){ location.reload(); }, parseInt(refresh.getAttribute('data-refresh'),10)||800);
      // Endless timeline: the "more" link loads the next page into the list when it comes into view.
      var more=document.querySelector('.c360 a[data-more]');
      if(more && 'IntersectionObserver' in window){
        var busy=false, tl=document.querySelector('.timeline');
        var io=new IntersectionObserver(function(es){
          if(!es[0].isIntersecting||busy) return; busy=true;
          fetch(more.href,{credentials:'same-origin'}).then(function(r){return r.text();}).then(function(html){
            var doc=new DOMParser().parseFromString(html,'text/html');
            doc.querySelectorAll('.timeline li').forEach(function(li){ tl.appendChild(document.importNode(li,true)); });
            var next=doc.querySelector('.c360 a[data-more]');
            if(next){ more.href=next.getAttribute('href'); busy=false; } else { io.disconnect(); more.parentNode.remove(); }
          });
        });
        io.observe(more);
      }
      // Kanban: dropping a card on a column picks that stage in the card's own move form and sends it.
      document.querySelectorAll('.deal-card').forEach(function(card){
        card.addEventListener('dragstart', function(e){ e.dataTransfer.setData('text/plain', card.dataset.deal); });
      });
      document.querySelectorAll('.column').forEach(function(col){
        col.addEventListener('dragover', function(e){ e.preventDefault(); col.classList.add('over'); });
        col.addEventListener('dragleave', function(){ col.classList.remove('over'); });
        col.addEventListener('drop', function(e){
          e.preventDefault(); col.classList.remove('over');
          var card=document.querySelector('.deal-card[data-deal="'+e.dataTransfer.getData('text/plain')+'"]'); if(!card) return;
          var form=card.querySelector('form.move'); if(!form) return;
          var sel=form.querySelector('select[name=stage_id]'); if(!sel.querySelector('option[value="'+col.dataset.stage+'"]')) return;
          sel.value=col.dataset.stage;
          form.submit();
        });
      });
      document.querySelectorAll('[data-print]').forEach(function(b){ b.addEventListener('click', function(){ window.print(); }); });
      // Visit check-in: the browser's location fills the coordinates (typing them works without it).
      var geo=document.querySelector('[data-geo]');
      if(geo && navigator.geolocation){
        geo.hidden=false;
        geo.addEventListener('click', function(){
          var st=document.querySelector('[data-geo-status]');
          navigator.geolocation.getCurrentPosition(function(p){
            document.querySelector('[data-geo-lat]').value=p.coords.latitude.toFixed(6);
            document.querySelector('[data-geo-lon]').value=p.coords.longitude.toFixed(6);
            document.querySelector('[data-geo-acc]').value=Math.round(p.coords.accuracy);
            if(st) st.textContent='';
          }, function(){ if(st) st.textContent=st.dataset.fail; }, {enableHighAccuracy:true, timeout:15000});
        });
      }
      var input=document.querySelector('[data-suggest]'); if(!input) return;
      var list=input.parentNode.querySelector('.suggest'); var timer=null, seq=0;
      function clear(){ list.hidden=true; list.textContent=''; }
      input.addEventListener('input', function(){
        clearTimeout(timer); var q=input.value.trim(); if(!q){ clear(); return; }
        timer=setTimeout(function(){
          var mine=++seq;
          fetch('/api/v1/search?limit=8&q='+encodeURIComponent(q),{credentials:'same-origin'}).then(function(r){return r.ok?r.json():{items:[]};}).then(function(d){
            if(mine!==seq) return; list.textContent='';
            (d.items||[]).forEach(function(c){
              var li=document.createElement('li'), a=document.createElement('a'); a.href='/customers/'+c.id; a.textContent=c.name;
              if(c.organization_name){ var s=document.createElement('small'); s.textContent=c.organization_name; a.appendChild(s); }
              li.appendChild(a); list.appendChild(li);
            });
            list.hidden=list.children.length===0;
            input.setAttribute('aria-expanded', list.hidden?'false':'true');
            var n=list.children.length, st=document.querySelector('[data-suggest-status]');
            if(st) st.textContent=n===1?st.dataset.one:st.dataset.many.replace('{n}',n);
          });
        },120);
      });
      function clear2(){ clear(); input.setAttribute('aria-expanded','false'); }
      // arrow keys walk the results; Escape closes them and returns to the box
      function move(from, step){
        var links=[].slice.call(list.querySelectorAll('a')); if(!links.length) return;
        var i=links.indexOf(from)+step; if(i<0){ input.focus(); return; }
        links[Math.min(i,links.length-1)].focus();
      }
      input.addEventListener('keydown', function(e){
        if(e.key==='Escape') clear2();
        if(e.key==='ArrowDown' && !list.hidden){ e.preventDefault(); move(null,1); }
      });
      list.addEventListener('keydown', function(e){
        if(e.key==='ArrowDown'||e.key==='ArrowUp'){ e.preventDefault(); move(document.activeElement, e.key==='ArrowDown'?1:-1); }
        if(e.key==='Escape'){ clear2(); input.focus(); }
      });
      document.addEventListener('click', function(e){ if(!input.parentNode.contains(e.target)) clear(); });
    })();
    """
}
