"""The network of labs: each site's workshops as a followable ActivityPub actor, and other
portals' workshops (their API, their actor, any iCalendar feed) on a Network page.

- models.py: the per-site actor settings and keys, followers, blocked domains, the delivery
  queue, sources and the items read from them, the Network page type;
- keys.py: RSA key pairs (generated per site, kept in the database);
- activities.py: the ActivityStreams documents (actor, FEP-8a8e Event, activities);
- signatures.py: HTTP signatures (draft-cavage and RFC 9421), verifying and signing;
- fetch.py: every outgoing request, behind the SSRF guard (resolve, refuse private
  addresses, redirects by hand, timeout, size cap, blocked domains);
- inbox.py: what incoming activities do (Follow, Undo, Delete, Join);
- delivery.py: the queue of outgoing activities and its worker;
- sources.py: reading other portals' workshops (API, ActivityPub, iCalendar), sanitised;
- views.py, urls.py: WebFinger, actor, inbox, outbox, followers, objects.
"""
