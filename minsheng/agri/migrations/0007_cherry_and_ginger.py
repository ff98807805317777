from django.db import migrations


def add_products(apps, schema_editor):
    from minsheng.agri.reference import add_article_products

    add_article_products(apps)


class Migration(migrations.Migration):
    dependencies = [("agri", "0006_pages_followup_photos")]

    operations = [migrations.RunPython(add_products, migrations.RunPython.noop)]
