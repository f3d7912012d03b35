from django.urls import path

from relief_sourcing import views

app_name = "relief"

urlpatterns = [
    path("reports/export.xlsx", views.export, {"extension": "xlsx"}, name="export_xlsx"),
    path("reports/export.csv", views.export, {"extension": "csv"}, name="export_csv"),
]
