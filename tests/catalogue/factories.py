import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.models import ServiceOffering
from federation.models import ServiceField
from federation.pinyin import pinyin_search_text
from tests.federation.factories import OrganisationFactory


class OfferingFactory(factory.django.DjangoModelFactory):
    """A published offering written directly (test set-up); services are tested separately."""

    class Meta:
        model = ServiceOffering

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"社区公益服务{n}号")
    field = factory.LazyFunction(lambda: ServiceField.objects.get(code="elderly-care"))
    summary = "为社区居民提供的公益服务（测试）"
    contact_person = "张老师（虚构）"
    contact_phone = "13900001234"
    contact_email = "service@example.org"
    status = ServiceOffering.Status.PUBLISHED
    pinyin_search = factory.LazyAttribute(lambda o: pinyin_search_text(o.title))


def image_upload(fmt: str = "PNG", size=(40, 30), name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def details(**overrides) -> dict:
    values = {
        "title": "老年人智能手机课堂",
        "field": ServiceField.objects.get(code="elderly-care"),
        "summary": "手把手教老人用手机挂号、付款、视频通话",
        "description": "每期四课时。<script>alert(1)</script>",
        "audience": "60 岁以上社区居民",
        "location": "江宁路街道社区服务中心",
        "availability": "每月第二个周三下午",
        "booking": "提前一周电话预约",
        "contact_person": "李老师（虚构）",
        "contact_phone": "139 0000 0001",
        "contact_email": "li@example.org",
        "contact_visibility": ServiceOffering.ContactVisibility.PHONE,
        "capacity": 20,
    }
    values.update(overrides)
    return values
