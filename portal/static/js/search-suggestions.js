// Suggestions for the search fields: progressive enhancement, the form works without it.
// Fills a <datalist>, so browsers and assistive technology present the suggestions natively.
(function () {
    "use strict";
    var fields = document.querySelectorAll("input[data-suggest-url]");
    Array.prototype.forEach.call(fields, function (field, index) {
        var list = document.createElement("datalist");
        var timer = null;
        var lastQuery = "";
        list.id = "search-suggestions-" + index;
        field.parentNode.appendChild(list);
        field.setAttribute("list", list.id);
        field.addEventListener("input", function () {
            var query = field.value.trim();
            window.clearTimeout(timer);
            if (query.length < 2 || query === lastQuery) {
                return;
            }
            timer = window.setTimeout(function () {
                lastQuery = query;
                var url = field.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query);
                fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
                    .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
                    .then(function (data) {
                        list.textContent = "";
                        data.suggestions.forEach(function (title) {
                            var option = document.createElement("option");
                            option.value = title;
                            list.appendChild(option);
                        });
                    })
                    .catch(function () { /* suggestions are optional */ });
            }, 200);
        });
    });
})();
