from django.urls import path

from . import views

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="network_webfinger"),
    path("ap/actor", views.actor, name="network_actor"),
    path("ap/actor/inbox", views.inbox_view, name="network_actor_inbox"),
    path("ap/actor/outbox", views.outbox, name="network_outbox"),
    path("ap/actor/followers", views.followers, name="network_followers"),
    path("ap/inbox", views.inbox_view, name="network_shared_inbox"),
    path("ap/instance", views.instance_actor, name="network_instance_actor"),
    path("ap/events/<uuid:translation_key>", views.event, name="network_event"),
]
