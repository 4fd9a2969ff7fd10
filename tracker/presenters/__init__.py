"""Display logic the views share: selector output -> what a template or chart needs.

No queries of their own unless a function says so; no request objects. Views call these;
presenters never import views.
"""
