# The start time of a community meeting: nullable, so meetings recorded before it stay valid.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0002_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="starts_at",
            field=models.TimeField(blank=True, null=True, verbose_name="giờ bắt đầu"),
        ),
    ]
