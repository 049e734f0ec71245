app_name = "caravan"

urlpatterns = []
